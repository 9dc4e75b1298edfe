using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Jobs;
using ActorTasks.Tasks.Tests.Serialization;
using ActorTasks.Tasks.Tests.Support;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;
using static ActorTasks.Tasks.Tests.Support.TaskSystemFixture;

namespace ActorTasks.Tasks.Tests.Jobs;

public sealed class JobManagerTests(ITestOutputHelper output) : TestKit(TaskSystemFixture.Config(), output: output)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(20);

    private sealed class ExplodingKind : IJobKind
    {
        public string Name => "explodes";
        public string Usage => "explodes";
        public IPreparedJob Prepare(IReadOnlyList<string> arguments) => throw new InvalidOperationException("plug-in bug");
    }

    /// <summary><c>lines N</c>: N result lines of about 100 characters (some that JSON escapes), 1,000 to a task, in order.</summary>
    private sealed class LinesKind : IJobKind
    {
        public string Name => "lines";

        public string Usage => "lines N";

        public static string Line(int i) => $"{i:D7} <&> ünï " + new string((char)('a' + i % 26), 80);

        public IPreparedJob Prepare(IReadOnlyList<string> arguments) => new Job(int.Parse(arguments[0]));

        private sealed class Job(int count) : IPreparedJob
        {
            public IReadOnlyDictionary<string, int> ResourcesPerTask { get; } = new Dictionary<string, int>();

            public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
            {
                for (var start = 0; start < count; start += 1000)
                    yield return BitConverter.GetBytes(start);
            }

            public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context)
            {
                var start = BitConverter.ToInt32(task.Span);
                var lines = Enumerable.Range(start, Math.Min(1000, count - start)).Select(Line);
                return ValueTask.FromResult<ReadOnlyMemory<byte>>(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));
            }

            public IJobReducer CreateReducer() => new Reducer();
        }

        private sealed class Reducer : IJobReducer
        {
            private readonly SortedDictionary<long, string[]> _parts = [];

            public void Add(long taskIndex, ReadOnlyMemory<byte> result) => _parts.Add(taskIndex, System.Text.Encoding.UTF8.GetString(result.Span).Split('\n'));

            public JobOutput Complete() => new([new("lines", _parts.Values.Sum(p => p.Length).ToString())], [.. _parts.Values.SelectMany(p => p)]);
        }
    }

    /// <summary>The bytes <paramref name="lines"/> take in a message's JSON: each a JSON string, with a comma between them.</summary>
    private static long JsonBytes(IEnumerable<string> lines) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(lines.ToArray()).Length - 2;

    /// <summary>A manager with no consumers of its own: the test registers probes, or starts none.</summary>
    private IActorRef Manager(SquaresKind? kind = null, ActorTasks.Tasks.Configuration.TaskSystemSettings? settings = null)
    {
        var registry = new JobKindRegistry().Register(kind ?? new SquaresKind()).Register(new ExplodingKind());
        return Sys.ActorOf(JobManager.Props(registry, settings ?? Settings()), "jobs");
    }

    [Fact]
    public void An_unknown_kind_is_rejected_naming_the_known_ones()
    {
        Manager().Tell(new SubmitJob("grpe", ["x"], JobOptions.Default), TestActor);
        var rejected = ExpectMsg<JobRejected>();
        Assert.Equal(("grpe", "KIND"), (rejected.Kind, rejected.Argument));
        Assert.Equal("unknown job kind 'grpe'; known kinds: explodes, squares", rejected.Reason);
    }

    [Fact]
    public void A_bad_argument_is_rejected_naming_it_before_anything_starts()
    {
        var kind = new SquaresKind();
        var manager = Manager(kind);
        var consumer = CreateTestProbe();
        manager.Tell(new RegisterConsumer(consumer.Ref), consumer.Ref);
        consumer.ExpectMsg<ConsumerRegistered>();

        manager.Tell(new SubmitJob("squares", ["many"], JobOptions.Default), TestActor);

        var rejected = ExpectMsg<JobRejected>();
        Assert.Equal("N", rejected.Argument);
        Assert.Contains("expected a whole number of tasks, at least 0, but got 'many'", rejected.Reason);
        consumer.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        manager.Tell(ListJobs.Instance, TestActor);
        Assert.Empty(ExpectMsg<JobList>().Jobs);
        Assert.Equal(0, kind.Prepared);
    }

    [Fact]
    public void A_kind_that_throws_while_preparing_is_rejected_and_the_manager_carries_on()
    {
        var manager = Manager();
        manager.Tell(new SubmitJob("explodes", [], JobOptions.Default), TestActor);
        var rejected = ExpectMsg<JobRejected>();
        Assert.Null(rejected.Argument);
        Assert.Equal("explodes could not prepare the job: InvalidOperationException: plug-in bug", rejected.Reason);

        manager.Tell(Submit("squares", 1), TestActor);
        ExpectMsg<JobAccepted>();
    }

    private TestProbe RegisteredConsumer(IActorRef manager, string name)
    {
        var consumer = CreateTestProbe(name);
        manager.Tell(new RegisterConsumer(consumer.Ref), consumer.Ref);
        consumer.ExpectMsg<ConsumerRegistered>();
        return consumer;
    }

    [Fact]
    public void A_job_every_registered_consumer_declines_fails_naming_each_node_and_reason_once()
    {
        var manager = Manager();
        var consumers = new[] { RegisteredConsumer(manager, "a"), RegisteredConsumer(manager, "b"), RegisteredConsumer(manager, "c") };
        manager.Tell(Submit("squares", 3), TestActor);
        var jobId = ExpectMsg<JobAccepted>().JobId;
        foreach (var consumer in consumers) consumer.ExpectMsg<JobStarted>();

        consumers[0].Reply(new JobDeclined(jobId, "akka.tcp://worker@h1:4053", "the job kind 'squares' is not loaded there"));
        consumers[1].Reply(new JobDeclined(jobId, "akka.tcp://worker@h1:4053", "the job kind 'squares' is not loaded there"));
        // One consumer has not answered yet: it may still take the job.
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        consumers[2].Reply(new JobDeclined(jobId, "akka.tcp://worker@h2:4053", "FILE: no such file: '/data/x.csv'"));

        var finished = ExpectMsg<JobFinished>(JobTimeout);
        Assert.Equal(JobState.Failed, finished.State);
        Assert.Equal("no consumer could prepare the job: akka.tcp://worker@h1:4053: the job kind 'squares' is not loaded there; "
            + "akka.tcp://worker@h2:4053: FILE: no such file: '/data/x.csv'", finished.Reason);
        foreach (var consumer in consumers)
            Assert.Equal(new JobEnded(jobId, JobState.Failed), consumer.ExpectMsg<JobEnded>());
        manager.Tell(new GetJobStatus(jobId), TestActor);
        Assert.Equal(JobState.Failed, ExpectMsg<JobStatusReport>().State);
    }

    [Fact]
    public void Nodes_that_decline_for_the_same_reason_are_named_together()
    {
        var manager = Manager();
        var a = RegisteredConsumer(manager, "a");
        var b = RegisteredConsumer(manager, "b");
        manager.Tell(Submit("squares", 3), TestActor);
        var jobId = ExpectMsg<JobAccepted>().JobId;
        a.ExpectMsg<JobStarted>();
        b.ExpectMsg<JobStarted>();

        a.Reply(new JobDeclined(jobId, "akka.tcp://worker@h1:4053", "the plug-in is missing"));
        b.Reply(new JobDeclined(jobId, "akka.tcp://worker@h2:4053", "the plug-in is missing"));

        Assert.Equal("no consumer could prepare the job: akka.tcp://worker@h1:4053, akka.tcp://worker@h2:4053: the plug-in is missing",
            ExpectMsg<JobFinished>(JobTimeout).Reason);
    }

    [Fact]
    public void A_job_no_consumer_takes_within_the_start_timeout_fails_saying_how_many_were_registered_and_who_declined()
    {
        var manager = Manager(settings: Settings() with { StartTimeout = TimeSpan.FromMilliseconds(300) });
        var silent = RegisteredConsumer(manager, "silent");
        var declining = RegisteredConsumer(manager, "declining");
        manager.Tell(Submit("squares", 3), TestActor);
        var jobId = ExpectMsg<JobAccepted>().JobId;
        silent.ExpectMsg<JobStarted>();
        declining.ExpectMsg<JobStarted>();
        declining.Reply(new JobDeclined(jobId, "akka.tcp://worker@h1:4053", "FILE: permission denied"));

        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Failed, finished.State);
        Assert.Equal("no consumer took the job within 0.3 s (2 registered; akka.tcp://worker@h1:4053: FILE: permission denied)", finished.Reason);
        Assert.Equal(JobState.Failed, silent.ExpectMsg<JobEnded>().State);
    }

    [Fact]
    public void A_job_submitted_with_no_consumer_anywhere_fails_after_the_start_timeout()
    {
        var manager = Manager(settings: Settings() with { StartTimeout = TimeSpan.FromMilliseconds(200) });
        manager.Tell(Submit("squares", 3), TestActor);
        ExpectMsg<JobAccepted>();

        var finished = ExpectMsg<JobFinished>(JobTimeout);
        Assert.Equal((JobState.Failed, "no consumer took the job within 0.2 s (0 registered)"), (finished.State, finished.Reason));
    }

    [Fact]
    public void A_job_a_consumer_has_claimed_is_not_failed_by_the_start_timeout()
    {
        var manager = Manager(settings: Settings() with { StartTimeout = TimeSpan.FromSeconds(1) });
        var consumer = RegisteredConsumer(manager, "taker");
        var other = RegisteredConsumer(manager, "other");
        manager.Tell(Submit("squares", 3), TestActor);
        var jobId = ExpectMsg<JobAccepted>().JobId;
        var started = consumer.ExpectMsg<JobStarted>();
        other.ExpectMsg<JobStarted>();

        consumer.Send(started.Producer, new RequestWork(jobId, 1));
        consumer.ExpectMsg<WorkAssigned>();
        // A decline that arrives after the job was claimed changes nothing either.
        other.Reply(new JobDeclined(jobId, "akka.tcp://worker@h1:4053", "too late"));

        ExpectNoMsg(TimeSpan.FromSeconds(2));
        manager.Tell(new GetJobStatus(jobId), TestActor);
        Assert.Equal(JobState.Running, ExpectMsg<JobStatusReport>().State);
    }

    [Fact]
    public void Arguments_over_the_size_limit_are_rejected_naming_ARGS_before_anything_starts()
    {
        var kind = new SquaresKind();
        var manager = Manager(kind);
        var consumer = RegisteredConsumer(manager, "consumer");

        // 100,000 '€' are 300,000 UTF-8 bytes: the limit counts bytes, as a message's frame does.
        manager.Tell(new SubmitJob("squares", [new string('€', 100_000)], JobOptions.Default), TestActor);

        var rejected = ExpectMsg<JobRejected>();
        Assert.Equal(("squares", "ARGS"), (rejected.Kind, rejected.Argument));
        Assert.Contains("a job may carry to every node", rejected.Reason);
        Assert.Equal(0, kind.Prepared);
        consumer.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // At the limit the kind itself judges the arguments (squares wants a number).
        manager.Tell(new SubmitJob("squares", [new string('9', (int)JobLimits.MaxArgumentBytes)], JobOptions.Default), TestActor);
        Assert.Equal("N", ExpectMsg<JobRejected>().Argument);
    }

    [Fact]
    public void Relative_paths_typed_on_the_seed_are_made_absolute_before_the_job_reaches_consumers()
    {
        var manager = Sys.ActorOf(JobManager.Props(new JobKindRegistry().Register(new ActorTasks.Tasks.JobKinds.Grep.GrepJobKind()), Settings()), "jobs");
        var consumer = RegisteredConsumer(manager, "consumer");

        manager.Tell(new SubmitJob("grep", ["--glob", "*.dll", "needle", "."], JobOptions.Default), TestActor);

        ExpectMsg<JobAccepted>();
        Assert.Equal(["--glob", "*.dll", "needle", Environment.CurrentDirectory], consumer.ExpectMsg<JobStarted>().Arguments);
    }

    [Fact]
    public void A_large_result_travels_as_its_first_lines_and_pages_that_together_are_the_whole_output()
    {
        const int count = 20_000;
        var actors = Start(Sys, Settings(), new LinesKind());
        actors.JobManager.Tell(new SubmitJob("lines", [count.ToString()], JobOptions.Default), TestActor);
        var jobId = ExpectMsg<JobAccepted>().JobId;
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal((count, (long?)count), (finished.LineCount, finished.LinesTotal));
        Assert.InRange(finished.Lines.Count, 1, count - 1);
        Assert.True(JsonBytes(finished.Lines) <= ResultPages.FinishedLineBytes, $"{JsonBytes(finished.Lines):N0} bytes of lines");

        // Pages by bytes (no line limit), then by lines, from where the first lines end.
        var all = finished.Lines.ToList();
        while (all.Count < count)
        {
            var maxLines = all.Count < count / 2 ? int.MaxValue : 3_000;
            actors.JobManager.Tell(new GetJobLines(jobId, all.Count, maxLines), TestActor);
            var page = ExpectMsg<JobLines>();
            Assert.Equal((jobId, (long)all.Count, (long)count), (page.JobId, page.From, page.Total));
            Assert.InRange(page.Lines.Count, 1, maxLines);
            Assert.True(JsonBytes(page.Lines) <= ResultPages.PageBytes, $"{JsonBytes(page.Lines):N0} bytes of lines");
            all.AddRange(page.Lines);
        }
        Assert.Equal(Enumerable.Range(0, count).Select(LinesKind.Line), all);
        actors.JobManager.Tell(new GetJobLines(jobId, count, 100), TestActor);
        Assert.Empty(ExpectMsg<JobLines>().Lines);

        // Whoever asks later gets the same first lines, never the whole output in one message.
        actors.JobManager.Tell(new GetJobResults(jobId), TestActor);
        DeepEqual.Check(finished, ExpectMsg<JobFinished>());
        actors.JobManager.Tell(new WatchJob(jobId), TestActor);
        ExpectMsg<JobProgress>();
        Assert.Equal(finished.Lines.Count, ExpectMsg<JobFinished>().Lines.Count);
    }

    [Fact]
    public void A_result_that_fits_one_message_travels_whole_without_a_line_total()
    {
        var actors = Start(Sys, Settings(), new LinesKind());
        actors.JobManager.Tell(new SubmitJob("lines", ["2500"], JobOptions.Default), TestActor);
        var jobId = ExpectMsg<JobAccepted>().JobId;

        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Null(finished.LinesTotal);
        Assert.Equal(2500, finished.LineCount);
        actors.JobManager.Tell(new GetJobLines(jobId, 2400, 1000), TestActor);
        Assert.Equal(Enumerable.Range(2400, 100).Select(LinesKind.Line), ExpectMsg<JobLines>().Lines);
    }

    [Fact]
    public void Lines_of_a_running_job_are_answered_with_its_status()
    {
        var kind = new SquaresKind { Hook = (_, _, ctx) => Task.Delay(Timeout.Infinite, ctx.CancellationToken) };
        var actors = Start(Sys, Settings(consumers: 1), kind);
        actors.JobManager.Tell(Submit("squares", 2), TestActor);
        var jobId = ExpectMsg<JobAccepted>().JobId;

        actors.JobManager.Tell(new GetJobLines(jobId, 0, 10), TestActor);

        Assert.Equal(JobState.Running, ExpectMsg<JobStatusReport>().State);
    }

    [Fact]
    public void A_negative_retry_limit_is_rejected()
    {
        Manager().Tell(Submit("squares", 1, maxRetries: -1), TestActor);
        Assert.Equal("--max-retries", ExpectMsg<JobRejected>().Argument);
    }

    [Fact]
    public void A_job_is_accepted_at_once_and_registered_consumers_hear_it_started()
    {
        var manager = Manager();
        var consumer = CreateTestProbe();
        manager.Tell(new RegisterConsumer(consumer.Ref), consumer.Ref);
        consumer.ExpectMsg<ConsumerRegistered>();

        manager.Tell(Submit("squares", 3), TestActor);

        Assert.Equal(new JobAccepted("1", "squares"), ExpectMsg<JobAccepted>());
        var started = consumer.ExpectMsg<JobStarted>();
        Assert.Equal(("1", "squares"), (started.JobId, started.Kind));
        Assert.Equal(["3"], started.Arguments);
        Assert.Equal("producer-1", started.Producer.Path.Name);

        manager.Tell(new GetJobStatus("1"), TestActor);
        var status = ExpectMsg<JobStatusReport>();
        Assert.Equal(("1", "squares", JobState.Running, 0L), (status.JobId, status.Kind, status.State, status.Done));
    }

    [Fact]
    public void A_consumer_that_registers_late_hears_of_the_jobs_already_running()
    {
        var manager = Manager();
        manager.Tell(Submit("squares", 3), TestActor);
        manager.Tell(Submit("squares", 4), TestActor);
        ExpectMsg<JobAccepted>();
        ExpectMsg<JobAccepted>();

        var consumer = CreateTestProbe();
        manager.Tell(new RegisterConsumer(consumer.Ref), consumer.Ref);

        consumer.ExpectMsg<ConsumerRegistered>();
        Assert.Equal(["1", "2"], new[] { consumer.ExpectMsg<JobStarted>(), consumer.ExpectMsg<JobStarted>() }.Select(s => s.JobId).Order());
    }

    [Fact]
    public void Requests_about_an_unknown_job_are_answered_with_JobUnknown()
    {
        var manager = Manager();
        foreach (var request in new object[] { new GetJobStatus("9"), new GetJobResults("9"), new GetJobLines("9", 0, 10), new CancelJob("9"), new WatchJob("9") })
        {
            manager.Tell(request, TestActor);
            Assert.Equal(new JobUnknown("9"), ExpectMsg<JobUnknown>());
        }
    }

    [Fact]
    public void A_finished_job_keeps_its_results_and_answers_watch_and_cancel_with_its_outcome()
    {
        var actors = Start(Sys, Settings(), new SquaresKind());
        actors.JobManager.Tell(Submit("squares", 10), TestActor);
        var jobId = ExpectMsg<JobAccepted>().JobId;
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        actors.JobManager.Tell(new GetJobResults(jobId), TestActor);
        DeepEqual.Check(finished, ExpectMsg<JobFinished>());
        actors.JobManager.Tell(new CancelJob(jobId), TestActor);
        Assert.Equal(new JobAlreadyFinished(jobId, JobState.Completed), ExpectMsg<JobAlreadyFinished>());
        actors.JobManager.Tell(new WatchJob(jobId), TestActor);
        Assert.Equal(10, ExpectMsg<JobProgress>().Done);
        ExpectMsg<JobFinished>();
        actors.JobManager.Tell(new GetJobStatus(jobId), TestActor);
        var status = ExpectMsg<JobStatusReport>();
        Assert.Equal((JobState.Completed, 10L, 10L), (status.State, status.Done, status.Total!.Value));
        Assert.NotNull(status.FinishedAt);
    }

    [Fact]
    public void Only_the_most_recent_finished_jobs_are_kept()
    {
        var actors = Start(Sys, Settings() with { FinishedJobsKept = 2 }, new SquaresKind());
        for (var i = 1; i <= 3; i++)
        {
            actors.JobManager.Tell(Submit("squares", i), TestActor);
            ExpectMsg<JobAccepted>();
            ExpectMsg<JobFinished>(JobTimeout);
        }

        actors.JobManager.Tell(ListJobs.Instance, TestActor);
        Assert.Equal(["2", "3"], ExpectMsg<JobList>().Jobs.Select(j => j.JobId));
        actors.JobManager.Tell(new GetJobResults("1"), TestActor);
        ExpectMsg(new JobUnknown("1"));
    }

    [Fact]
    public void The_submitter_and_a_canceller_each_hear_the_outcome_once()
    {
        var kind = new SquaresKind { Hook = (_, _, ctx) => Task.Delay(Timeout.Infinite, ctx.CancellationToken) };
        var actors = Start(Sys, Settings(consumers: 1), kind);
        var submitter = CreateTestProbe();
        var canceller = CreateTestProbe();
        actors.JobManager.Tell(Submit("squares", 5), submitter.Ref);
        var jobId = submitter.ExpectMsg<JobAccepted>().JobId;
        actors.JobManager.Tell(new WatchJob(jobId), submitter.Ref);
        AwaitCondition(() => kind.Log.Starts.Count == 1, JobTimeout);

        actors.JobManager.Tell(new CancelJob(jobId), canceller.Ref);

        canceller.ExpectMsg(new JobCancelling(jobId));
        Assert.Equal(JobState.Cancelled, canceller.ExpectMsg<JobFinished>(JobTimeout).State);
        Assert.Equal(JobState.Cancelled, submitter.FishForMessage<JobFinished>(_ => true, JobTimeout).State);
        submitter.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        canceller.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task A_job_whose_collector_dies_fails_and_its_consumers_let_it_go()
    {
        var kind = new SquaresKind { Hook = (_, _, ctx) => Task.Delay(Timeout.Infinite, ctx.CancellationToken) };
        var actors = Start(Sys, Settings(consumers: 1), kind);
        actors.JobManager.Tell(Submit("squares", 5), TestActor);
        var jobId = ExpectMsg<JobAccepted>().JobId;
        AwaitCondition(() => kind.Log.Starts.Count == 1, JobTimeout);

        var collector = await Sys.ActorSelection($"/user/jobs/collector-{jobId}").ResolveOne(TimeSpan.FromSeconds(3));
        collector.Tell(Kill.Instance, TestActor);

        var finished = ExpectMsg<JobFinished>(JobTimeout);
        Assert.Equal(JobState.Failed, finished.State);
        Assert.Equal("the job's collector stopped unexpectedly", finished.Reason);
        AwaitCondition(() => kind.Log.CancelsObserved == 1, JobTimeout);
    }

    [Fact]
    public async Task A_job_whose_producer_dies_fails_with_the_results_it_had()
    {
        var kind = new SquaresKind { Hook = (i, _, ctx) => i == 0 ? Task.CompletedTask : Task.Delay(Timeout.Infinite, ctx.CancellationToken) };
        var actors = Start(Sys, Settings(consumers: 1), kind);
        actors.JobManager.Tell(Submit("squares", 5), TestActor);
        var jobId = ExpectMsg<JobAccepted>().JobId;
        AwaitCondition(() => kind.Log.Reduced.Count == 1 && kind.Log.Starts.Count == 2, JobTimeout);

        var producer = await Sys.ActorSelection($"/user/jobs/producer-{jobId}").ResolveOne(TimeSpan.FromSeconds(3));
        producer.Tell(Kill.Instance, TestActor);

        var finished = ExpectMsg<JobFinished>(JobTimeout);
        Assert.Equal((JobState.Failed, 1L), (finished.State, finished.Done));
        Assert.Equal("the job's producer stopped unexpectedly", finished.Reason);
    }
}

using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Jobs;
using ActorTasks.Tasks.Tests.Serialization;
using ActorTasks.Tasks.Tests.Support;
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
        foreach (var request in new object[] { new GetJobStatus("9"), new GetJobResults("9"), new CancelJob("9"), new WatchJob("9") })
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

using System.Diagnostics;
using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Collectors;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.Jobs;
using ActorTasks.Tasks.Tests.Support;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tasks.Tests.Collectors;

/// <summary>A collector fed by the test, reporting to a probe that stands in for the job manager.</summary>
public sealed class CollectorTests(ITestOutputHelper output) : TestKit(TaskSystemFixture.Config(), output: output)
{
    private const string JobId = "3";

    private (IActorRef Collector, TestProbe Manager, SquaresKind Kind) Start(TaskSystemSettings? settings = null)
    {
        var kind = new SquaresKind();
        var prepared = kind.Prepare(["100"]);
        var manager = CreateTestProbe("manager");
        settings ??= TaskSystemFixture.Settings();
        var collector = Sys.ActorOf(Props.Create(() => new Collector(JobId, 3, prepared, settings, manager.Ref)), "collector");
        return (collector, manager, kind);
    }

    private static TaskResults Results(params long[] indexes) =>
        new(JobId, [.. indexes.Select(i => new TaskSucceeded(i, 1, SquaresKind.Payload(i * i)))], [], null, 1);

    private static CollectorFinished Finished(TestProbe manager) =>
        manager.FishForMessage<CollectorFinished>(_ => true, TimeSpan.FromSeconds(5));

    [Fact]
    public void A_job_that_knows_its_total_up_front_reports_it_in_the_first_progress_before_its_split_ends()
    {
        var prepared = new ActorTasks.Tasks.JobKinds.Noop.NoopJobKind().Prepare(["50"]);
        var collector = Sys.ActorOf(Props.Create(() => new Collector(JobId, 3, prepared, TaskSystemFixture.Settings(), CreateTestProbe("manager").Ref)));
        collector.Tell(new WatchJob(JobId), TestActor);

        var first = ExpectMsg<JobProgress>(TimeSpan.FromSeconds(10));
        Assert.Equal((0L, 50L), (first.Done, first.Total!.Value));
    }

    [Fact]
    public void A_result_delivered_twice_counts_once()
    {
        var (collector, manager, kind) = Start();
        collector.Tell(Results(0, 1), TestActor);
        collector.Tell(Results(1, 2), TestActor);
        collector.Tell(Results(2, 1, 0), TestActor);
        collector.Tell(new SplitFinished(3), TestActor);

        var finished = Finished(manager).Finished;

        Assert.Equal((JobState.Completed, 3L, 0L, 3L), (finished.State, finished.Done, finished.Failed, finished.Total!.Value));
        Assert.Equal(5, TaskSystemFixture.Sum(finished));
        Assert.Equal([(0L, 1), (1L, 1), (2L, 1)], kind.Log.Reduced.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value)));
    }

    [Fact]
    public void The_job_ends_only_when_every_task_up_to_the_total_has_settled()
    {
        var (collector, manager, _) = Start();
        collector.Tell(new SplitFinished(3), TestActor);
        collector.Tell(Results(0, 0, 2), TestActor);
        // Three results arrived, two of them the same: one task is still open.
        collector.Tell(new WatchJob(JobId), TestActor);
        var progress = ExpectMsg<JobProgress>();
        Assert.Equal((2L, 3L), (progress.Done, progress.Total!.Value));

        collector.Tell(new TaskAbandoned(new TaskFailure(1, 4, "System.Exception", "gave up")), TestActor);

        var finished = Finished(manager).Finished;
        Assert.Equal((JobState.CompletedWithFailures, 2L, 1L), (finished.State, finished.Done, finished.Failed));
        Assert.Equal(new TaskFailure(1, 4, "System.Exception", "gave up"), Assert.Single(finished.Failures));
        Assert.Equal("1 of 3 tasks failed after their retries; their results are missing", finished.Reason);
    }

    [Fact]
    public void A_task_given_up_after_its_result_arrived_stays_done()
    {
        var (collector, manager, _) = Start();
        collector.Tell(Results(0), TestActor);
        collector.Tell(new TaskAbandoned(new TaskFailure(0, 2, "System.Exception", "late failure of a re-run")), TestActor);
        collector.Tell(new SplitFinished(1), TestActor);

        var finished = Finished(manager).Finished;
        Assert.Equal((1L, 0L), (finished.Done, finished.Failed));
        Assert.Empty(finished.Failures);
    }

    [Fact]
    public void A_job_whose_every_task_failed_ends_failed()
    {
        var (collector, manager, kind) = Start();
        collector.Tell(new SplitFinished(2), TestActor);
        collector.Tell(new TaskAbandoned(new TaskFailure(0, 3, "System.IO.IOException", "disk gone")), TestActor);
        collector.Tell(new TaskAbandoned(new TaskFailure(1, 3, "System.IO.IOException", "disk gone")), TestActor);

        var finished = Finished(manager).Finished;
        Assert.Equal((JobState.Failed, 0L, 2L), (finished.State, finished.Done, finished.Failed));
        Assert.Equal("every task failed (2 of 2); the first failures are listed", finished.Reason);
        Assert.Equal([0L, 1], finished.Failures.Select(f => f.TaskIndex));
        Assert.Empty(kind.Log.Reduced);
    }

    [Fact]
    public void A_job_whose_tasks_all_succeeded_is_the_only_one_that_completes()
    {
        var (collector, manager, _) = Start();
        collector.Tell(new SplitFinished(2), TestActor);
        collector.Tell(Results(0, 1), TestActor);

        var finished = Finished(manager).Finished;
        Assert.Equal((JobState.Completed, (string?)null, 2L, 0L), (finished.State, finished.Reason, finished.Done, finished.Failed));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_fail_fast_failure_of_the_last_task_ends_the_job_failed_for_that_reason(int tasks)
    {
        var (collector, manager, _) = Start();
        collector.Tell(new SplitFinished(tasks), TestActor);
        for (var i = 0; i < tasks - 1; i++)
            collector.Tell(Results(i), TestActor);
        var last = tasks - 1;
        var reason = $"task {last} failed after 1 attempt (System.FormatException: bad row) and the job is fail-fast";
        collector.Tell(new TaskAbandoned(new TaskFailure(last, 1, "System.FormatException", "bad row"), EndsJob: reason), TestActor);

        // Every task has settled with this message, yet the job is not "completed with failures": fail-fast failed it.
        var finished = Finished(manager).Finished;
        Assert.Equal((JobState.Failed, reason), (finished.State, finished.Reason));
        Assert.Equal((tasks - 1L, 1L), (finished.Done, finished.Failed));
        Assert.Equal(last, Assert.Single(finished.Failures).TaskIndex);
    }

    [Fact]
    public void A_failure_message_is_cut_so_the_failures_kept_fit_one_message()
    {
        var (collector, manager, _) = Start();
        collector.Tell(new TaskAbandoned(new TaskFailure(0, 1, "System.Exception", new string('e', 50_000))), TestActor);
        collector.Tell(new SplitFinished(1), TestActor);

        var failure = Assert.Single(Finished(manager).Finished.Failures);
        Assert.Equal(new string('e', 2000) + "…", failure.Message);
    }

    [Fact]
    public void Every_failure_is_counted_but_only_the_first_few_are_listed()
    {
        var (collector, manager, _) = Start(TaskSystemFixture.Settings() with { FailuresKept = 2 });
        for (var i = 0; i < 5; i++)
            collector.Tell(new TaskAbandoned(new TaskFailure(i, 1, "System.Exception", $"failure {i}")), TestActor);
        collector.Tell(new SplitFinished(5), TestActor);

        var finished = Finished(manager).Finished;
        Assert.Equal(5, finished.Failed);
        Assert.Equal([0L, 1], finished.Failures.Select(f => f.TaskIndex));
        Assert.Equal((JobState.Failed, "every task failed (5 of 5); the first failures are listed"), (finished.State, finished.Reason));
    }

    [Fact]
    public void EndJob_ends_the_job_at_once_with_the_results_so_far()
    {
        var (collector, manager, _) = Start();
        collector.Tell(Results(2, 3), TestActor);
        collector.Tell(new EndJob(JobState.Cancelled, "cancelled by request"), TestActor);

        var message = Finished(manager);
        var finished = message.Finished;
        Assert.Equal((JobState.Cancelled, "cancelled by request", 2L, (long?)null), (finished.State, finished.Reason, finished.Done, finished.Total));
        Assert.Equal(13, TaskSystemFixture.Sum(finished));
        Assert.Equal(2, message.FinalProgress.Done);

        // Results after the end change nothing.
        collector.Tell(Results(4), TestActor);
        manager.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_result_the_reducer_cannot_read_fails_the_job_naming_the_task()
    {
        var (collector, manager, _) = Start();
        collector.Tell(new TaskResults(JobId, [new TaskSucceeded(4, 1, [1, 2, 3])], [], null, 1), TestActor);

        var finished = Finished(manager).Finished;
        Assert.Equal(JobState.Failed, finished.State);
        Assert.StartsWith("reducing the result of task 4 failed: ArgumentOutOfRangeException", finished.Reason);
    }

    [Fact]
    public void Progress_counts_done_tasks_per_node_and_the_counters_tasks_reported()
    {
        var (collector, _, _) = Start();
        collector.Tell(new TaskResults(JobId, [new TaskSucceeded(0, 1, SquaresKind.Payload(0))], [], new() { ["files"] = 2 }, 1), TestActor);
        collector.Tell(new TaskResults(JobId, [new TaskSucceeded(1, 1, SquaresKind.Payload(1))], [], new() { ["files"] = 3, ["matches"] = 1 }, 1), TestActor);
        collector.Tell(new WatchJob(JobId), TestActor);

        var progress = ExpectMsg<JobProgress>();
        Assert.Equal((JobId, 2L, 0L, (long?)null, (TimeSpan?)null), (progress.JobId, progress.Done, progress.Failed, progress.Total, progress.Eta));
        Assert.Equal(new Dictionary<string, long> { [TestActor.Path.Address.ToString()] = 2 }, progress.PerNode);
        Assert.Equal(new Dictionary<string, long> { ["files"] = 5, ["matches"] = 1 }, progress.Counters);
    }

    [Fact]
    public async Task Progress_reaches_watchers_at_most_once_per_interval_however_many_results_arrive()
    {
        var interval = TimeSpan.FromMilliseconds(60);
        var (collector, _, _) = Start(TaskSystemFixture.Settings() with { ProgressInterval = interval });
        collector.Tell(new WatchJob(JobId), TestActor);
        Assert.Equal(0, ExpectMsg<JobProgress>().Done);

        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < 40; i++)
        {
            collector.Tell(Results(i), TestActor);
            await Task.Delay(5); // spreads the results over several intervals
        }
        var updates = new List<JobProgress>();
        await FishForMessageAsync<JobProgress>(p =>
        {
            updates.Add(p);
            return p.Done == 40;
        }, TimeSpan.FromSeconds(5));
        var elapsed = Stopwatch.GetElapsedTime(started);

        // One update per timer tick at most: without throttling there would be one per result, 40.
        Assert.InRange(updates.Count, 1, (int)(elapsed / interval) + 2);
        Assert.Equal(updates.Select(u => u.Done).Order(), updates.Select(u => u.Done));
    }

    [Fact]
    public void A_watcher_that_unwatches_gets_no_more_progress()
    {
        var (collector, _, _) = Start();
        var watcher = CreateTestProbe();
        collector.Tell(new WatchJob(JobId), watcher.Ref);
        watcher.ExpectMsg<JobProgress>();
        collector.Tell(new UnwatchJob(JobId), watcher.Ref);
        collector.Tell(Results(0), TestActor);
        collector.Tell(new WatchJob(JobId), TestActor);
        FishForMessage<JobProgress>(p => p.Done == 1);

        watcher.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void The_manager_hears_progress_even_when_nobody_watches()
    {
        var (collector, manager, _) = Start();
        collector.Tell(Results(0, 1), TestActor);
        Assert.Equal(2, manager.FishForMessage<JobProgress>(p => p.Done == 2).Done);
    }
}

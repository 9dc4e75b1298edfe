using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Tests.Support;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;
using static ActorTasks.Tasks.Tests.Support.TaskSystemFixture;

namespace ActorTasks.Tasks.Tests;

/// <summary>Whole jobs in one actor system: job manager, producer, collector, a pool of consumers and the resource manager.</summary>
public sealed class TaskSystemTests(ITestOutputHelper output) : TestKit(TaskSystemFixture.Config(), output: output)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void A_job_completes_with_the_exact_reduced_result_across_several_consumers()
    {
        var kind = new SquaresKind();
        Start(Sys, Settings(consumers: 4), kind).JobManager.Tell(Submit("squares", 2_000), TestActor);

        var jobId = ExpectMsg<JobAccepted>().JobId;
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(jobId, finished.JobId);
        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(SquaresKind.SumOfSquares(2_000), Sum(finished));
        Assert.Equal((2_000L, 0L, 2_000L), (finished.Done, finished.Failed, finished.Total!.Value));
        Assert.Equal(2_000, kind.Log.Reduced.Count);
        Assert.All(kind.Log.Reduced.Values, n => Assert.Equal(1, n));
        // The seed prepared the job once, and so did each consumer that took part.
        Assert.True(kind.Prepared >= 2, $"prepared {kind.Prepared} times");
    }

    [Fact]
    public void An_empty_job_completes_with_nothing_to_reduce()
    {
        Start(Sys, Settings(), new SquaresKind()).JobManager.Tell(Submit("squares", 0), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal((0L, 0L, 0L), (finished.Done, finished.Failed, finished.Total!.Value));
    }

    [Fact]
    public void A_job_that_learns_its_total_by_splitting_reports_none_until_its_split_ends_and_then_the_total()
    {
        // Like grep, wordcount and csv-stats (KnownTotalTests): no total up front. Tasks from 10 on wait at a gate, so
        // the producer, which pulls the split only as far as the consumers' windows reach, cannot end it meanwhile.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var kind = new SquaresKind { Hook = (i, _, ctx) => i < 10 ? Task.CompletedTask : gate.Task.WaitAsync(ctx.CancellationToken) };
        var actors = Start(Sys, Settings(consumers: 2, prefetch: 4), kind);
        actors.JobManager.Tell(Submit("squares", 200), TestActor);
        var jobId = ExpectMsg<JobAccepted>().JobId;
        var watcher = CreateTestProbe();
        actors.JobManager.Tell(new WatchJob(jobId), watcher);

        var before = watcher.FishForMessage<JobProgress>(p => p.Done > 0, JobTimeout);
        Assert.Null(before.Total);
        Assert.Null(before.Eta);
        gate.SetResult();

        var after = watcher.FishForMessage<JobProgress>(p => p.Total is not null, JobTimeout);
        Assert.Equal(200, after.Total);
        Assert.Equal(JobState.Completed, watcher.FishForMessage<JobFinished>(_ => true, JobTimeout).State);
    }

    [Fact]
    public void A_consumer_killed_mid_job_has_its_tasks_run_by_others_and_each_result_counts_once()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var kind = new SquaresKind { Hook = (_, _, ctx) => gate.Task.WaitAsync(ctx.CancellationToken) };
        var actors = Start(Sys, Settings(consumers: 3), kind);
        actors.JobManager.Tell(Submit("squares", 30), TestActor);
        ExpectMsg<JobAccepted>();

        // Every consumer is now inside a task it cannot finish until the gate opens.
        AwaitCondition(() => kind.Log.Starts.Count >= 3, JobTimeout);
        actors.Consumers.Tell(GetConsumers.Instance, TestActor);
        var victim = ExpectMsg<PoolConsumers>().Consumers[0];
        Watch(victim);
        victim.Tell(Kill.Instance, TestActor);
        ExpectTerminated(victim);
        // The killed consumer's task saw its token; the producer will give that task to another consumer.
        AwaitCondition(() => kind.Log.CancelsObserved == 1, JobTimeout);
        gate.SetResult();

        var finished = ExpectMsg<JobFinished>(JobTimeout);
        Assert.Equal(JobState.Completed, finished.State);
        // Exactly the killed consumer's task ran twice: once there, cancelled, and once more elsewhere.
        Assert.Equal(1, kind.Log.StartCounts.Values.Count(n => n == 2));
        Assert.All(kind.Log.StartCounts.Values, n => Assert.InRange(n, 1, 2));
        Assert.Equal(SquaresKind.SumOfSquares(30), Sum(finished));
        Assert.Equal(30, finished.Done);
        Assert.Equal(30, kind.Log.Reduced.Count);
        Assert.All(kind.Log.Reduced.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public void Failing_tasks_are_retried_with_growing_backoff_until_they_succeed()
    {
        // Every fifth task fails on its first two attempts.
        var kind = new SquaresKind
        {
            Hook = (i, attempt, _) => i % 5 == 0 && attempt <= 2
                ? throw new InvalidOperationException($"task {i} flaked on attempt {attempt}")
                : Task.CompletedTask,
        };
        Start(Sys, Settings(), kind).JobManager.Tell(Submit("squares", 50, maxRetries: 3), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal((50L, 0L), (finished.Done, finished.Failed));
        Assert.Equal(SquaresKind.SumOfSquares(50), Sum(finished));
        for (long i = 0; i < 50; i += 5)
        {
            Assert.Equal(3, kind.Log.StartCount(i));
            var starts = kind.Log.StartTimes(i).Order().ToArray();
            var firstWait = System.Diagnostics.Stopwatch.GetElapsedTime(starts[0], starts[1]);
            var secondWait = System.Diagnostics.Stopwatch.GetElapsedTime(starts[1], starts[2]);
            // Backoff min 10 ms, doubling: at least 10 ms before the first retry and 20 ms before the second.
            Assert.True(firstWait >= TimeSpan.FromMilliseconds(9), $"task {i}: first retry after {firstWait}");
            Assert.True(secondWait >= TimeSpan.FromMilliseconds(19), $"task {i}: second retry after {secondWait}");
        }
        Assert.Equal(1, kind.Log.StartCount(1));
    }

    [Fact]
    public void A_task_that_keeps_failing_is_recorded_with_its_error_and_the_job_completes_with_failures_without_it()
    {
        var kind = new SquaresKind
        {
            Hook = (i, _, _) => i == 7 ? throw new InvalidOperationException("task 7 is broken") : Task.CompletedTask,
        };
        Start(Sys, Settings(), kind).JobManager.Tell(Submit("squares", 20, maxRetries: 2), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.CompletedWithFailures, finished.State);
        Assert.Equal((19L, 1L, 20L), (finished.Done, finished.Failed, finished.Total!.Value));
        Assert.Equal(SquaresKind.SumOfSquares(20) - 49, Sum(finished));
        var failure = Assert.Single(finished.Failures);
        Assert.Equal(new TaskFailure(7, 3, "System.InvalidOperationException", "task 7 is broken"), failure);
        Assert.Equal(3, kind.Log.StartCount(7));
        Assert.Equal("1 of 20 tasks failed after their retries; their results are missing", finished.Reason);
    }

    [Fact]
    public void A_task_whose_input_is_bad_is_recorded_at_its_first_failure_without_retries()
    {
        var kind = new SquaresKind
        {
            Hook = (i, _, _) => i == 3 ? throw new ActorTasks.Tasks.JobKinds.TaskInputException("item 3: not a square") : Task.CompletedTask,
        };
        Start(Sys, Settings(), kind).JobManager.Tell(Submit("squares", 10, maxRetries: 3), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal((9L, 1L), (finished.Done, finished.Failed));
        Assert.Equal(new TaskFailure(3, 1, ActorTasks.Tasks.JobKinds.TaskInputException.ErrorType, "item 3: not a square"), Assert.Single(finished.Failures));
        Assert.Equal(1, kind.Log.StartCount(3));
    }

    [Fact]
    public void A_permanent_failure_is_recorded_at_its_first_attempt_without_retries()
    {
        var kind = new SquaresKind
        {
            Hook = (i, _, _) => i == 4 ? throw new PermanentTaskFailureException("https://example.org/4: HTTP 404 Not Found") : Task.CompletedTask,
        };
        Start(Sys, Settings(), kind).JobManager.Tell(Submit("squares", 10, maxRetries: 3), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.CompletedWithFailures, finished.State);
        Assert.Equal(new TaskFailure(4, 1, typeof(PermanentTaskFailureException).FullName!, "https://example.org/4: HTTP 404 Not Found"),
            Assert.Single(finished.Failures));
        Assert.Equal(1, kind.Log.StartCount(4));
        Assert.Equal(9, finished.Done);
    }

    [Fact]
    public void Tasks_never_hold_more_permits_of_a_resource_named_per_task_than_it_was_created_with()
    {
        // Three "hosts", two permits each, created on first use; six consumers compete for them.
        const int hosts = 3, perHost = 2, tasks = 60;
        var running = new int[hosts];
        var most = new int[hosts];
        var kind = new SquaresKind
        {
            ResourcesForTask = i => [new TaskResource($"http:host-{i % hosts}", 1, CreatePermits: perHost, Wait: Timeout.InfiniteTimeSpan)],
            Hook = async (i, _, ctx) =>
            {
                var host = (int)(i % hosts);
                var now = Interlocked.Increment(ref running[host]);
                for (var max = Volatile.Read(ref most[host]); now > max; max = Volatile.Read(ref most[host]))
                    if (Interlocked.CompareExchange(ref most[host], now, max) == max) break;
                // Long enough for the other consumers to ask for the same host meanwhile.
                await Task.Delay(10, ctx.CancellationToken);
                Interlocked.Decrement(ref running[host]);
            },
        };
        var actors = Start(Sys, Settings(consumers: 6), kind);
        actors.JobManager.Tell(Submit("squares", tasks), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(SquaresKind.SumOfSquares(tasks), Sum(finished));
        Assert.All(most, m => Assert.InRange(m, 1, perHost));
        // Every lease was given back, so the resources created on first use are gone again.
        AwaitAssert(() =>
        {
            actors.ResourceManager.Tell(GetResources.Instance, TestActor);
            Assert.DoesNotContain(ExpectMsg<ResourcesReport>().Resources, r => r.Name.StartsWith("http:", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void A_fail_fast_job_ends_failed_at_the_first_task_that_fails_for_good()
    {
        var kind = new SquaresKind
        {
            Hook = (i, _, ctx) => i == 3 ? throw new ArgumentException("bad input in task 3") : Task.Delay(5, ctx.CancellationToken),
        };
        Start(Sys, Settings(), kind).JobManager.Tell(Submit("squares", 500, failFast: true, maxRetries: 1), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Failed, finished.State);
        Assert.Equal(1, finished.Failed);
        Assert.True(finished.Done < 500, $"done {finished.Done}");
        Assert.Contains("task 3 failed after 2 attempts", finished.Reason);
        Assert.Contains("bad input in task 3", finished.Reason);
        Assert.Contains("fail-fast", finished.Reason);
        Assert.Equal("System.ArgumentException", Assert.Single(finished.Failures).ErrorType);
    }

    [Fact]
    public void A_job_whose_every_task_fails_ends_failed_not_completed()
    {
        var kind = new SquaresKind { Hook = (i, _, _) => throw new IOException($"cannot read part {i}") };
        Start(Sys, Settings(), kind).JobManager.Tell(Submit("squares", 10, maxRetries: 0), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Failed, finished.State);
        Assert.Equal((0L, 10L, 10L), (finished.Done, finished.Failed, finished.Total!.Value));
        Assert.Equal("every task failed (10 of 10); the first failures are listed", finished.Reason);
        Assert.Equal(10, finished.Failures.Count);
    }

    [Fact]
    public void A_fail_fast_job_of_one_task_ends_failed_when_that_task_fails()
    {
        var kind = new SquaresKind { Hook = (_, _, _) => throw new FormatException("bad input") };
        Start(Sys, Settings(), kind).JobManager.Tell(Submit("squares", 1, failFast: true, maxRetries: 0), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Failed, finished.State);
        Assert.Equal("task 0 failed after 1 attempt (System.FormatException: bad input) and the job is fail-fast", finished.Reason);
        Assert.Equal((0L, 1L), (finished.Done, finished.Failed));
    }

    [Fact]
    public void A_fail_fast_job_ends_failed_when_its_last_task_fails_after_the_others_succeeded()
    {
        // One consumer runs tasks 0, 1, 2 in order: the failure of task 2 settles the job's last task.
        var kind = new SquaresKind { Hook = (i, _, _) => i == 2 ? throw new FormatException("bad row in task 2") : Task.CompletedTask };
        Start(Sys, Settings(consumers: 1), kind).JobManager.Tell(Submit("squares", 3, failFast: true, maxRetries: 0), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Failed, finished.State);
        Assert.Equal((2L, 1L, 3L), (finished.Done, finished.Failed, finished.Total!.Value));
        Assert.Contains("task 2 failed after 1 attempt", finished.Reason);
        Assert.Contains("fail-fast", finished.Reason);
    }

    [Fact]
    public void A_failure_message_with_a_lone_surrogate_reaches_the_job_result_with_a_replacement_character()
    {
        // Every message here is serialized on its way (serialize-messages = on), as between nodes.
        var kind = new SquaresKind { Hook = (i, _, _) => i == 1 ? throw new InvalidOperationException("bad \ud800 text") : Task.CompletedTask };
        Start(Sys, Settings(), kind).JobManager.Tell(Submit("squares", 3, maxRetries: 0), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.CompletedWithFailures, finished.State);
        var failure = Assert.Single(finished.Failures);
        Assert.Equal((1L, "bad \ufffd text"), (failure.TaskIndex, failure.Message));
    }

    [Fact]
    public void Cancel_stops_the_job_running_tasks_see_their_token_and_the_result_is_partial()
    {
        // Tasks below 10 finish at once; the others block until their token fires.
        var kind = new SquaresKind
        {
            Hook = (i, _, ctx) => i < 10 ? Task.CompletedTask : Task.Delay(Timeout.Infinite, ctx.CancellationToken),
        };
        var actors = Start(Sys, Settings(consumers: 2), kind);
        actors.JobManager.Tell(Submit("squares", 1_000), TestActor);
        var jobId = ExpectMsg<JobAccepted>().JobId;
        AwaitCondition(() => kind.Log.Reduced.Count >= 5 && kind.Log.Starts.Count(s => s.Index >= 10) >= 2, JobTimeout);

        actors.JobManager.Tell(new CancelJob(jobId), TestActor);
        ExpectMsg(new JobCancelling(jobId));
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Cancelled, finished.State);
        Assert.Equal("cancelled by request", finished.Reason);
        Assert.True(finished.Done >= 5 && finished.Done < 1_000, $"done {finished.Done}");
        Assert.Equal(finished.Done, kind.Log.Reduced.Count);
        Assert.Equal(SquaresKind.SumOfSquares(kind.Log.Reduced.Keys), Sum(finished));
        // Both consumers were blocked in a task; both tasks saw their token.
        AwaitCondition(() => kind.Log.CancelsObserved == kind.Log.Starts.Count(s => s.Index >= 10), JobTimeout);
        Assert.True(kind.Log.CancelsObserved >= 2);
        // Production stopped: nothing near the end of the split was ever pulled.
        Assert.True(kind.Log.Pulled < 1_000, $"pulled {kind.Log.Pulled}");
        actors.JobManager.Tell(new GetJobStatus(jobId), TestActor);
        Assert.Equal(JobState.Cancelled, ExpectMsg<JobStatusReport>().State);
    }

    [Fact]
    public void The_producer_never_pulls_more_tasks_than_the_consumers_windows_hold()
    {
        const int consumers = 3, prefetch = 4;
        var kind = new SquaresKind { Hook = (i, _, _) => i % 50 == 0 ? Task.Delay(2) : Task.CompletedTask };
        Start(Sys, Settings(consumers, prefetch), kind).JobManager.Tell(Submit("squares", 3_000), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(SquaresKind.SumOfSquares(3_000), Sum(finished));
        // At every pull, tasks pulled but not yet finished by a task body stayed within consumers x prefetch.
        Assert.InRange(kind.Log.MaxAhead, 1, consumers * prefetch);
    }

    [Fact]
    public void Each_consumer_runs_one_task_at_a_time()
    {
        var kind = new SquaresKind { Hook = (_, _, _) => Task.Delay(2) };
        Start(Sys, Settings(consumers: 2), kind).JobManager.Tell(Submit("squares", 60), TestActor);

        ExpectMsg<JobAccepted>();
        Assert.Equal(JobState.Completed, ExpectMsg<JobFinished>(JobTimeout).State);
        Assert.InRange(kind.Log.MaxRunning, 1, 2);
    }

    [Fact]
    public void Tasks_that_need_a_resource_run_only_while_they_hold_its_permits()
    {
        var kind = new SquaresKind
        {
            Hook = (_, _, _) => Task.Delay(3),
            ResourcesPerTask = new Dictionary<string, int> { ["disk"] = 1 },
        };
        var settings = Settings(consumers: 3) with { Resources = new Dictionary<string, int> { ["disk"] = 1 } };
        var actors = Start(Sys, settings, kind);
        actors.JobManager.Tell(Submit("squares", 30), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(SquaresKind.SumOfSquares(30), Sum(finished));
        Assert.Equal(1, kind.Log.MaxRunning);
        AwaitAssert(() =>
        {
            actors.ResourceManager.Tell(GetResources.Instance, TestActor);
            var disk = Assert.Single(ExpectMsg<ResourcesReport>().Resources);
            Assert.Equal((1, 1), (disk.Permits, disk.Available));
            Assert.Empty(disk.Holders);
        }, JobTimeout);
    }

    [Fact]
    public void A_task_whose_resource_is_not_defined_fails_naming_the_resource_and_the_job_fails_with_it()
    {
        var kind = new SquaresKind { ResourcesPerTask = new Dictionary<string, int> { ["gpu"] = 1 } };
        Start(Sys, Settings(consumers: 1), kind).JobManager.Tell(Submit("squares", 2, maxRetries: 0), TestActor);

        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        // No task could run, so nothing of the job's result exists.
        Assert.Equal(JobState.Failed, finished.State);
        Assert.Equal((0L, 2L), (finished.Done, finished.Failed));
        Assert.StartsWith("every task failed (2 of 2)", finished.Reason);
        Assert.All(finished.Failures, f =>
        {
            Assert.Equal(ActorTasks.Tasks.Consumers.Consumer.ResourceUnavailableError, f.ErrorType);
            Assert.Contains("'gpu'", f.Message);
        });
        Assert.Empty(kind.Log.Starts);
    }

    [Fact]
    public void A_watcher_gets_progress_with_done_and_total_and_then_the_outcome()
    {
        var kind = new SquaresKind { Hook = (_, _, _) => Task.Delay(1) };
        var actors = Start(Sys, Settings(consumers: 2), kind);
        var watcher = CreateTestProbe();
        actors.JobManager.Tell(Submit("squares", 200), TestActor);
        var jobId = ExpectMsg<JobAccepted>().JobId;
        actors.JobManager.Tell(new WatchJob(jobId), watcher.Ref);

        var progress = new List<JobProgress>();
        var outcome = (JobFinished)watcher.FishForMessage(m =>
        {
            if (m is JobProgress p) progress.Add(p);
            return m is JobFinished;
        }, JobTimeout);

        Assert.Equal(JobState.Completed, outcome.State);
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.Equal(jobId, p.JobId));
        Assert.Equal(progress.Select(p => p.Done).Order(), progress.Select(p => p.Done));
        var last = progress[^1];
        Assert.Equal((200L, 0L, 200L), (last.Done, last.Failed, last.Total!.Value));
        Assert.Equal(200, last.PerNode.Values.Sum());
        Assert.Equal(200, last.Counters["items"]);
        Assert.Equal(TimeSpan.Zero, last.Eta);
        // Until the split has ended the total is unknown, never guessed.
        Assert.All(progress.Where(p => p.Total is null), p => Assert.True(p.Done < 200));
    }
}

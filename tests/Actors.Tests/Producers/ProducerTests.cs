using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.Jobs;
using ActorTasks.Tasks.Producers;
using ActorTasks.Tasks.Tests.Support;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tasks.Tests.Producers;

/// <summary>A producer with test probes as its consumers and collector.</summary>
public sealed class ProducerTests(ITestOutputHelper output) : TestKit(TaskSystemFixture.Config(), output: output)
{
    private const string JobId = "7";

    private (IActorRef Producer, TestProbe Collector, SquaresKind Kind) Start(
        long tasks, int maxRetries = 3, bool failFast = false, TaskSystemSettings? settings = null, SquaresKind? kind = null, ActorSystem? system = null)
    {
        kind ??= new SquaresKind();
        system ??= Sys;
        var prepared = kind.Prepare([tasks.ToString()]);
        var collector = CreateTestProbe(system, "collector");
        settings ??= TaskSystemFixture.Settings();
        var producer = system.ActorOf(Props.Create(() => new Producer(JobId, prepared, maxRetries, failFast, settings, collector.Ref)), "producer");
        return (producer, collector, kind);
    }

    private static TaskResults Results(int window, long[] succeeded, params TaskFailed[] failed) =>
        new(JobId, [.. succeeded.Select(i => new TaskSucceeded(i, 1, SquaresKind.Payload(i * i)))], failed, null, window);

    private static long[] Indexes(WorkAssigned assigned) => [.. assigned.Tasks.Select(t => t.Index)];

    [Fact]
    public void Pulls_tasks_only_as_consumers_ask_and_tells_the_collector_the_total_when_the_split_ends()
    {
        var (producer, collector, kind) = Start(5);
        var consumer = CreateTestProbe();
        Assert.Equal(0, kind.Log.Pulled);

        producer.Tell(new RequestWork(JobId, 3), consumer.Ref);
        var first = consumer.ExpectMsg<WorkAssigned>();
        Assert.Equal([0L, 1, 2], Indexes(first));
        Assert.All(first.Tasks, t => Assert.Equal((1, t.Index), (t.Attempt, SquaresKind.Value(t.Payload))));
        Assert.Equal(3, kind.Log.Pulled);

        producer.Tell(Results(3, [0, 1, 2]), consumer.Ref);
        var forwarded = collector.ExpectMsg<TaskResults>();
        Assert.Equal([0L, 1, 2], forwarded.Succeeded.Select(s => s.Index));
        Assert.Equal(consumer.Ref, collector.LastSender);
        Assert.Equal(new SplitFinished(5), collector.ExpectMsg<SplitFinished>());
        Assert.Equal([3L, 4], Indexes(consumer.ExpectMsg<WorkAssigned>()));
    }

    [Fact]
    public void A_request_counts_tasks_the_consumer_already_holds()
    {
        var (producer, _, kind) = Start(100);
        var consumer = CreateTestProbe();
        producer.Tell(new RequestWork(JobId, 4), consumer.Ref);
        Assert.Equal(4, consumer.ExpectMsg<WorkAssigned>().Tasks.Length);

        // The consumer asks again for a window of 6 while holding 4: it gets 2 more, not 6.
        producer.Tell(new RequestWork(JobId, 6), consumer.Ref);
        Assert.Equal([4L, 5], Indexes(consumer.ExpectMsg<WorkAssigned>()));
        producer.Tell(new RequestWork(JobId, 6), consumer.Ref);
        consumer.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(6, kind.Log.Pulled);
    }

    [Fact]
    public void A_consumer_never_gets_more_than_the_prefetch_whatever_it_asks()
    {
        var (producer, _, kind) = Start(100, settings: TaskSystemFixture.Settings(prefetch: 4));
        var consumer = CreateTestProbe();
        producer.Tell(new RequestWork(JobId, 1_000), consumer.Ref);
        Assert.Equal(4, consumer.ExpectMsg<WorkAssigned>().Tasks.Length);
        consumer.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(4, kind.Log.Pulled);
    }

    [Fact]
    public void The_tasks_of_a_consumer_that_dies_go_to_the_next_consumer_that_asks()
    {
        var (producer, _, kind) = Start(4);
        var doomed = CreateTestProbe();
        var survivor = CreateTestProbe();
        producer.Tell(new RequestWork(JobId, 2), doomed.Ref);
        Assert.Equal([0L, 1], Indexes(doomed.ExpectMsg<WorkAssigned>()));
        producer.Tell(new RequestWork(JobId, 2), survivor.Ref);
        Assert.Equal([2L, 3], Indexes(survivor.ExpectMsg<WorkAssigned>()));

        Sys.Stop(doomed.Ref);
        producer.Tell(Results(2, [2, 3]), survivor.Ref);

        var reassigned = survivor.ExpectMsg<WorkAssigned>();
        Assert.Equal([0L, 1], Indexes(reassigned));
        Assert.All(reassigned.Tasks, t => Assert.Equal(1, t.Attempt));
        Assert.Equal(4, kind.Log.Pulled);
    }

    [Fact]
    public void A_consumer_waiting_for_work_gets_the_tasks_of_one_that_dies()
    {
        var (producer, _, _) = Start(2);
        var doomed = CreateTestProbe();
        var waiting = CreateTestProbe();
        producer.Tell(new RequestWork(JobId, 2), doomed.Ref);
        doomed.ExpectMsg<WorkAssigned>();
        producer.Tell(new RequestWork(JobId, 2), waiting.Ref);
        waiting.ExpectNoMsg(TimeSpan.FromMilliseconds(50));

        Sys.Stop(doomed.Ref);

        Assert.Equal([0L, 1], Indexes(waiting.ExpectMsg<WorkAssigned>()));
    }

    [Fact]
    public void Once_the_split_is_exhausted_an_idle_consumer_gets_tasks_another_has_not_started()
    {
        var (producer, collector, _) = Start(6);
        var busy = CreateTestProbe();
        var idle = CreateTestProbe();
        producer.Tell(new RequestWork(JobId, 6), busy.Ref);
        Assert.Equal([0L, 1, 2, 3, 4, 5], Indexes(busy.ExpectMsg<WorkAssigned>()));

        producer.Tell(new RequestWork(JobId, 4), idle.Ref);
        Assert.Equal(new ReturnWork(JobId, 3), busy.ExpectMsg<ReturnWork>());
        busy.Reply(new WorkReturned(JobId, [4, 5]));
        Assert.Equal([4L, 5], Indexes(idle.ExpectMsg<WorkAssigned>()));

        // Each task is settled by the consumer that holds it now; the job's total is all six.
        producer.Tell(Results(0, [0, 1, 2, 3]), busy.Ref);
        producer.Tell(Results(0, [4, 5]), idle.Ref);
        collector.ExpectMsg<SplitFinished>(f => f.Total == 6);
        var settled = collector.ReceiveN(2).Cast<TaskResults>().SelectMany(r => r.Succeeded).Select(t => t.Index).Order();
        Assert.Equal([0L, 1, 2, 3, 4, 5], settled);
    }

    [Fact]
    public void A_consumer_with_nothing_to_give_back_is_not_asked_again_until_it_reports()
    {
        var (producer, _, _) = Start(4);
        var busy = CreateTestProbe();
        var idle = CreateTestProbe();
        producer.Tell(new RequestWork(JobId, 4), busy.Ref);
        busy.ExpectMsg<WorkAssigned>();
        producer.Tell(new RequestWork(JobId, 4), idle.Ref);
        busy.ExpectMsg<ReturnWork>();
        busy.Reply(new WorkReturned(JobId, []));

        // Every further request from the idle consumer would ask again, were the refusal not remembered.
        producer.Tell(new RequestWork(JobId, 4), idle.Ref);
        producer.Tell(new RequestWork(JobId, 4), idle.Ref);
        busy.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        idle.ExpectNoMsg(TimeSpan.Zero);

        // Once it has reported, what it still holds may be asked for again.
        producer.Tell(Results(4, [0]), busy.Ref);
        Assert.Equal(new ReturnWork(JobId, 1), busy.ExpectMsg<ReturnWork>());
    }

    [Fact]
    public void Tasks_are_not_asked_back_while_the_split_still_has_tasks()
    {
        var (producer, _, _) = Start(100, settings: TaskSystemFixture.Settings(prefetch: 4));
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        producer.Tell(new RequestWork(JobId, 4), first.Ref);
        first.ExpectMsg<WorkAssigned>();
        producer.Tell(new RequestWork(JobId, 4), second.Ref);
        second.ExpectMsg<WorkAssigned>();
        first.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_failed_task_comes_back_after_the_backoff_as_its_next_attempt()
    {
        var settings = TaskSystemFixture.Settings() with { RetryBackoffMin = TimeSpan.FromMilliseconds(150), RetryBackoffMax = TimeSpan.FromSeconds(1) };
        var (producer, collector, _) = Start(1, settings: settings);
        var consumer = CreateTestProbe();
        producer.Tell(new RequestWork(JobId, 1), consumer.Ref);
        consumer.ExpectMsg<WorkAssigned>();

        var failedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        producer.Tell(Results(1, [], new TaskFailed(0, 1, "System.IO.IOException", "disk hiccup")), consumer.Ref);

        var retry = Assert.Single(consumer.ExpectMsg<WorkAssigned>(TimeSpan.FromSeconds(3)).Tasks);
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(failedAt) >= TimeSpan.FromMilliseconds(140));
        Assert.Equal((0L, 2, 0L), (retry.Index, retry.Attempt, SquaresKind.Value(retry.Payload)));
        collector.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_task_that_fails_past_its_retries_is_given_up_and_the_job_goes_on()
    {
        var (producer, collector, _) = Start(2, maxRetries: 1);
        var consumer = CreateTestProbe();
        producer.Tell(new RequestWork(JobId, 1), consumer.Ref);
        Assert.Equal([0L], Indexes(consumer.ExpectMsg<WorkAssigned>()));
        producer.Tell(Results(1, [], new TaskFailed(0, 1, "System.Exception", "first")), consumer.Ref);
        Assert.Equal(2, Assert.Single(consumer.ExpectMsg<WorkAssigned>().Tasks).Attempt);

        producer.Tell(Results(1, [], new TaskFailed(0, 2, "System.InvalidOperationException", "still broken")), consumer.Ref);

        Assert.Equal(new TaskAbandoned(new TaskFailure(0, 2, "System.InvalidOperationException", "still broken")),
            collector.ExpectMsg<TaskAbandoned>());
        Assert.Equal([1L], Indexes(consumer.ExpectMsg<WorkAssigned>()));
    }

    [Fact]
    public void With_fail_fast_the_first_task_given_up_ends_the_job_failed_in_the_same_message()
    {
        var (producer, collector, _) = Start(10, maxRetries: 0, failFast: true);
        var consumer = CreateTestProbe();
        producer.Tell(new RequestWork(JobId, 2), consumer.Ref);
        consumer.ExpectMsg<WorkAssigned>();

        producer.Tell(Results(2, [1], new TaskFailed(0, 1, "System.FormatException", "bad row")), consumer.Ref);

        collector.ExpectMsg<TaskResults>();
        // One message records the failure and ends the job, so the collector cannot settle the job in between.
        var abandoned = collector.ExpectMsg<TaskAbandoned>();
        Assert.Equal(new TaskFailure(0, 1, "System.FormatException", "bad row"), abandoned.Failure);
        Assert.Contains("task 0 failed after 1 attempt (System.FormatException: bad row)", abandoned.EndsJob);
        Assert.Contains("fail-fast", abandoned.EndsJob);
        collector.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        consumer.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void A_zero_minimum_backoff_retries_a_failed_task_at_once()
    {
        // The maximum is far beyond the test's patience: a retry waiting for it would never arrive in time.
        var settings = TaskSystemFixture.Settings() with { RetryBackoffMin = TimeSpan.Zero, RetryBackoffMax = TimeSpan.FromMinutes(5) };
        var (producer, _, _) = Start(1, maxRetries: 3, settings: settings);
        var consumer = CreateTestProbe();
        producer.Tell(new RequestWork(JobId, 1), consumer.Ref);
        consumer.ExpectMsg<WorkAssigned>();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            producer.Tell(Results(1, [], new TaskFailed(0, attempt, "System.IO.IOException", "flaky")), consumer.Ref);
            Assert.Equal(attempt + 1, Assert.Single(consumer.ExpectMsg<WorkAssigned>(TimeSpan.FromSeconds(3)).Tasks).Attempt);
        }
    }

    /// <summary><c>sized A B …</c>: task i carries a payload of A, B, … bytes and returns 8 bytes.</summary>
    private sealed class SizedKind : ActorTasks.Tasks.JobKinds.IJobKind
    {
        public string Name => "sized";

        public string Usage => "sized BYTES...";

        public ActorTasks.Tasks.JobKinds.IPreparedJob Prepare(IReadOnlyList<string> arguments) => new Job([.. arguments.Select(int.Parse)]);

        private sealed class Job(int[] sizes) : ActorTasks.Tasks.JobKinds.IPreparedJob
        {
            public IReadOnlyDictionary<string, int> ResourcesPerTask { get; } = new Dictionary<string, int>();

            public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken) => sizes.Select(size => (ReadOnlyMemory<byte>)new byte[size]);

            public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, ActorTasks.Tasks.JobKinds.TaskContext context) =>
                ValueTask.FromResult<ReadOnlyMemory<byte>>(BitConverter.GetBytes((long)task.Length));

            public ActorTasks.Tasks.JobKinds.IJobReducer CreateReducer() => throw new NotSupportedException();
        }
    }

    private (IActorRef Producer, TestProbe Collector) StartSized(int[] sizes, long maxBytes, bool failFast = false)
    {
        var prepared = new SizedKind().Prepare([.. sizes.Select(s => s.ToString())]);
        var collector = CreateTestProbe("collector");
        var settings = TaskSystemFixture.Settings(prefetch: 64) with { MaxResultBytes = maxBytes };
        var producer = Sys.ActorOf(Props.Create(() => new Producer(JobId, prepared, 0, failFast, settings, collector.Ref)), "producer");
        return (producer, collector);
    }

    [Fact]
    public void A_batch_never_carries_more_payload_bytes_than_a_message_may_hold_and_keeps_task_order()
    {
        int[] sizes = [40, 40, 40, 10, 90, 100, 5, 5, 5, 60];
        var (producer, _) = StartSized(sizes, maxBytes: 100);
        var consumer = CreateTestProbe();

        producer.Tell(new RequestWork(JobId, 64), consumer.Ref);

        var batches = new List<WorkItem[]>();
        while (batches.Sum(b => b.Length) < sizes.Length)
            batches.Add(consumer.ExpectMsg<WorkAssigned>().Tasks);
        Assert.All(batches, b => Assert.InRange(b.Sum(t => t.Payload.Length), 1, 100));
        Assert.Equal(Enumerable.Range(0, sizes.Length).Select(i => (long)i), batches.SelectMany(b => b).Select(t => t.Index));
        Assert.Equal(sizes, batches.SelectMany(b => b).Select(t => t.Payload.Length));
        // Greedy in order: 40+40 | 40+10 | 90 | 100 | 5+5+5+60.
        Assert.Equal([2, 2, 1, 1, 4], batches.Select(b => b.Length));
    }

    [Fact]
    public void A_task_whose_payload_alone_is_over_the_cap_fails_as_too_large_and_the_others_go_out()
    {
        var (producer, collector) = StartSized([10, 500, 10], maxBytes: 100);
        var consumer = CreateTestProbe();

        producer.Tell(new RequestWork(JobId, 8), consumer.Ref);

        Assert.Equal([0L, 2], Indexes(consumer.ExpectMsg<WorkAssigned>()));
        var abandoned = collector.ExpectMsg<TaskAbandoned>();
        Assert.Null(abandoned.EndsJob);
        Assert.Equal((1L, 1, Producer.TaskTooLargeError), (abandoned.Failure.TaskIndex, abandoned.Failure.Attempts, abandoned.Failure.ErrorType));
        Assert.Contains("500 bytes", abandoned.Failure.Message);
        Assert.Contains("max-result-bytes", abandoned.Failure.Message);
        Assert.Equal(new SplitFinished(3), collector.ExpectMsg<SplitFinished>());
    }

    [Fact]
    public void A_task_too_large_to_send_ends_a_fail_fast_job()
    {
        var (producer, collector) = StartSized([500, 10], maxBytes: 100, failFast: true);
        var consumer = CreateTestProbe();

        producer.Tell(new RequestWork(JobId, 8), consumer.Ref);

        var abandoned = collector.ExpectMsg<TaskAbandoned>();
        Assert.Equal(Producer.TaskTooLargeError, abandoned.Failure.ErrorType);
        Assert.Contains("fail-fast", abandoned.EndsJob);
        consumer.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_split_that_throws_ends_the_job_failed_with_the_error()
    {
        var (producer, collector, _) = Start(10, kind: new SquaresKind { SplitFailsAt = 2 });
        var consumer = CreateTestProbe();
        producer.Tell(new RequestWork(JobId, 5), consumer.Ref);

        Assert.Equal([0L, 1], Indexes(consumer.ExpectMsg<WorkAssigned>()));
        var end = collector.ExpectMsg<EndJob>();
        Assert.Equal(JobState.Failed, end.State);
        Assert.Contains("splitting the job failed after 2 tasks: IOException: cannot read item 2", end.Reason);
    }

    [Fact]
    public void Results_naming_tasks_that_were_never_handed_out_are_dropped()
    {
        var (producer, collector, _) = Start(10);
        var consumer = CreateTestProbe();
        producer.Tell(new RequestWork(JobId, 1), consumer.Ref);
        consumer.ExpectMsg<WorkAssigned>();

        producer.Tell(Results(1, [0, 5]), consumer.Ref);

        Assert.Equal([0L], collector.ExpectMsg<TaskResults>().Succeeded.Select(s => s.Index));
    }

    [Fact]
    public void A_result_with_a_negative_index_is_dropped()
    {
        // The serializer refuses a negative index, so only a consumer on the seed's own node, whose messages are
        // delivered as they are, can send one: this system delivers local messages unserialized, as a seed does.
        var sameNode = ActorSystem.Create("same-node",
            ConfigurationFactory.ParseString("akka.actor.serialize-messages = off").WithFallback(TaskSystemFixture.Config()));
        try
        {
            var (producer, collector, _) = Start(10, system: sameNode);
            var consumer = CreateTestProbe(sameNode);
            producer.Tell(new RequestWork(JobId, 1), consumer.Ref);
            consumer.ExpectMsg<WorkAssigned>();

            producer.Tell(Results(1, [0, -1]), consumer.Ref);

            Assert.Equal([0L], collector.ExpectMsg<TaskResults>().Succeeded.Select(s => s.Index));
        }
        finally
        {
            Shutdown(sameNode, verifySystemShutdown: true);
        }
    }

    [Fact]
    public async Task Stopping_the_producer_disposes_the_split()
    {
        var disposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var prepared = new DisposableSplitJob(disposed);
        var collector = CreateTestProbe();
        var producer = Sys.ActorOf(Props.Create(() => new Producer(JobId, prepared, 0, false, TaskSystemFixture.Settings(), collector.Ref)));
        producer.Tell(new RequestWork(JobId, 1), TestActor);
        ExpectMsg<WorkAssigned>();

        Sys.Stop(producer);

        await disposed.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private sealed class DisposableSplitJob(TaskCompletionSource disposed) : ActorTasks.Tasks.JobKinds.IPreparedJob
    {
        public IReadOnlyDictionary<string, int> ResourcesPerTask { get; } = new Dictionary<string, int>();

        public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
        {
            try
            {
                while (true) yield return new byte[1];
            }
            finally
            {
                disposed.TrySetResult();
            }
        }

        public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, ActorTasks.Tasks.JobKinds.TaskContext context) => new(task);

        public ActorTasks.Tasks.JobKinds.IJobReducer CreateReducer() => throw new NotSupportedException();
    }
}

using Akka.Actor;
using Akka.Event;
using ActorTasks.Messages;
using ActorTasks.Tasks.Consumers;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Tests.Support;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tasks.Tests.Consumers;

/// <summary>One consumer, with probes standing in for the job manager, a producer and the resource manager.</summary>
public sealed class ConsumerTests(ITestOutputHelper output) : TestKit(TaskSystemFixture.Config(), output: output)
{
    private const string JobId = "5";

    private sealed record Rig(IActorRef Consumer, TestProbe Manager, TestProbe Producer, TestProbe Resources);

    private Rig Start(SquaresKind kind)
    {
        var manager = CreateTestProbe("manager");
        var producer = CreateTestProbe("producer");
        var resources = CreateTestProbe("resources");
        var registry = new JobKindRegistry().Register(kind);
        var consumer = Sys.ActorOf(Consumer.Props(manager.Ref, resources.Ref, registry, TaskSystemFixture.Settings()), "consumer");
        manager.ExpectMsg<RegisterConsumer>(r => r.Consumer.Equals(consumer));
        manager.Reply(new ConsumerRegistered(consumer));
        return new Rig(consumer, manager, producer, resources);
    }

    /// <summary>Starts the job, offers task 0 and returns the consumer's first resource request for it.</summary>
    private static Acquire AcquireForTask0(Rig rig)
    {
        StartJob(rig);
        rig.Producer.ExpectMsg<RequestWork>();
        rig.Producer.Reply(Work(0));
        return rig.Resources.ExpectMsg<Acquire>();
    }

    private static void StartJob(Rig rig, string kind = "squares") =>
        rig.Consumer.Tell(new JobStarted(JobId, kind, ["100"], rig.Producer.Ref), rig.Manager.Ref);

    private static WorkAssigned Work(params long[] indexes) =>
        new(JobId, [.. indexes.Select(i => new WorkItem(i, SquaresKind.Payload(i), 1))]);

    [Fact]
    public void Asks_a_new_job_for_one_task_runs_it_and_sends_the_result_with_its_next_request()
    {
        var kind = new SquaresKind();
        var rig = Start(kind);
        StartJob(rig);

        Assert.Equal(new RequestWork(JobId, 1), rig.Producer.ExpectMsg<RequestWork>());
        rig.Producer.Reply(new WorkAssigned(JobId, [new WorkItem(3, SquaresKind.Payload(3), 2)]));

        var results = rig.Producer.ExpectMsg<TaskResults>();
        var result = Assert.Single(results.Succeeded);
        Assert.Equal((3L, 2, 9L), (result.Index, result.Attempt, SquaresKind.Value(result.Result)));
        Assert.Empty(results.Failed);
        Assert.Equal(new Dictionary<string, long> { ["items"] = 1 }, results.Counters);
        Assert.InRange(results.Window, 1, 8);
        Assert.Equal(rig.Consumer, rig.Producer.LastSender);
    }

    [Fact]
    public void Runs_every_task_it_is_given_in_order_and_reports_each_once()
    {
        var kind = new SquaresKind();
        var rig = Start(kind);
        StartJob(rig);
        rig.Producer.ExpectMsg<RequestWork>();
        rig.Producer.Reply(Work(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));

        var reported = new List<long>();
        while (reported.Count < 10) reported.AddRange(rig.Producer.ExpectMsg<TaskResults>().Succeeded.Select(s => s.Index));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), reported);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), kind.Log.Starts.Select(s => s.Index));
        Assert.Equal(1, kind.Log.MaxRunning);
    }

    [Fact]
    public void Gives_back_only_tasks_it_has_not_started_and_never_runs_them()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var kind = new SquaresKind { Hook = (i, _, _) => i == 0 ? release.Task : Task.CompletedTask };
        var rig = Start(kind);
        StartJob(rig);
        rig.Producer.ExpectMsg<RequestWork>();
        rig.Producer.Reply(Work(0, 1, 2, 3, 4));
        AwaitCondition(() => kind.Log.Starts.Count == 1); // task 0 runs and holds the consumer

        rig.Consumer.Tell(new ReturnWork(JobId, 3), rig.Producer.Ref);
        Assert.Equal([2L, 3, 4], rig.Producer.ExpectMsg<WorkReturned>().Indexes);
        rig.Consumer.Tell(new ReturnWork("no such job", 3), rig.Producer.Ref);
        Assert.Empty(rig.Producer.ExpectMsg<WorkReturned>(r => r.JobId == "no such job").Indexes);

        release.SetResult();
        var reported = new List<long>();
        while (reported.Count < 2) reported.AddRange(rig.Producer.ExpectMsg<TaskResults>().Succeeded.Select(s => s.Index));
        Assert.Equal([0L, 1], reported);
        Assert.Equal([0L, 1], kind.Log.Starts.Select(s => s.Index));
    }

    [Fact]
    public void A_task_that_throws_is_reported_with_its_error_type_and_message()
    {
        var kind = new SquaresKind { Hook = (i, _, _) => throw new FormatException($"row {i} is not a number") };
        var rig = Start(kind);
        StartJob(rig);
        rig.Producer.ExpectMsg<RequestWork>();
        rig.Producer.Reply(Work(4));

        var results = rig.Producer.ExpectMsg<TaskResults>();
        Assert.Empty(results.Succeeded);
        Assert.Equal(new TaskFailed(4, 1, "System.FormatException", "row 4 is not a number"), Assert.Single(results.Failed));
    }

    [Fact]
    public void JobEnded_cancels_the_running_task_through_its_token_and_drops_its_results()
    {
        var kind = new SquaresKind { Hook = (_, _, ctx) => Task.Delay(Timeout.Infinite, ctx.CancellationToken) };
        var rig = Start(kind);
        StartJob(rig);
        rig.Producer.ExpectMsg<RequestWork>();
        rig.Producer.Reply(Work(0));
        AwaitCondition(() => kind.Log.Starts.Count == 1);

        rig.Consumer.Tell(new JobEnded(JobId, JobState.Cancelled), rig.Manager.Ref);

        AwaitCondition(() => kind.Log.CancelsObserved == 1);
        rig.Producer.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_consumer_that_stops_cancels_its_running_task()
    {
        var kind = new SquaresKind { Hook = (_, _, ctx) => Task.Delay(Timeout.Infinite, ctx.CancellationToken) };
        var rig = Start(kind);
        StartJob(rig);
        rig.Producer.ExpectMsg<RequestWork>();
        rig.Producer.Reply(Work(0));
        AwaitCondition(() => kind.Log.Starts.Count == 1);

        Sys.Stop(rig.Consumer);

        AwaitCondition(() => kind.Log.CancelsObserved == 1);
    }

    [Fact]
    public void When_the_producer_dies_the_consumer_drops_its_job_and_cancels_its_task()
    {
        var kind = new SquaresKind { Hook = (_, _, ctx) => Task.Delay(Timeout.Infinite, ctx.CancellationToken) };
        var rig = Start(kind);
        StartJob(rig);
        rig.Producer.ExpectMsg<RequestWork>();
        rig.Producer.Reply(Work(0));
        AwaitCondition(() => kind.Log.Starts.Count == 1);

        Sys.Stop(rig.Producer.Ref);

        AwaitCondition(() => kind.Log.CancelsObserved == 1);
    }

    [Fact]
    public void Takes_the_declared_resources_before_each_task_and_gives_them_back_after()
    {
        var kind = new SquaresKind { ResourcesPerTask = new Dictionary<string, int> { ["disk"] = 2, ["cpu"] = 1 } };
        var rig = Start(kind);
        StartJob(rig);
        rig.Producer.ExpectMsg<RequestWork>();
        rig.Producer.Reply(Work(6));

        // In name order, one at a time, and the task waits until both are granted.
        var cpu = rig.Resources.ExpectMsg<Acquire>();
        Assert.Equal(("cpu", 1), (cpu.Name, cpu.Permits));
        rig.Resources.Reply(new Granted(cpu.RequestId, 70, "cpu", 1));
        var disk = rig.Resources.ExpectMsg<Acquire>();
        Assert.Equal(("disk", 2), (disk.Name, disk.Permits));
        Assert.Empty(kind.Log.Starts);
        rig.Resources.Reply(new Granted(disk.RequestId, 71, "disk", 2));

        Assert.Equal(36, SquaresKind.Value(Assert.Single(rig.Producer.ExpectMsg<TaskResults>().Succeeded).Result));
        var released = new[] { rig.Resources.ExpectMsg<Release>(), rig.Resources.ExpectMsg<Release>() };
        Assert.Equal([70L, 71], released.Select(r => r.LeaseId).Order());
    }

    [Fact]
    public void A_resource_that_times_out_fails_the_attempt_and_returns_what_was_taken()
    {
        var kind = new SquaresKind { ResourcesPerTask = new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 } };
        var rig = Start(kind);
        StartJob(rig);
        rig.Producer.ExpectMsg<RequestWork>();
        rig.Producer.Reply(Work(2));
        var a = rig.Resources.ExpectMsg<Acquire>();
        rig.Resources.Reply(new Granted(a.RequestId, 1, "a", 1));
        var b = rig.Resources.ExpectMsg<Acquire>();
        rig.Resources.Reply(new AcquireTimedOut(b.RequestId, "b", 1, TimeSpan.FromSeconds(60)));

        var failed = Assert.Single(rig.Producer.ExpectMsg<TaskResults>().Failed);
        Assert.Equal((2L, Consumer.ResourceUnavailableError), (failed.Index, failed.ErrorType));
        Assert.Contains("resource 'b'", failed.Message);
        Assert.Equal(1, rig.Resources.ExpectMsg<Release>().LeaseId);
        Assert.Empty(kind.Log.Starts);
    }

    [Fact]
    public void A_grant_that_arrives_after_the_job_ended_is_given_straight_back()
    {
        var kind = new SquaresKind { ResourcesPerTask = new Dictionary<string, int> { ["disk"] = 1 } };
        var rig = Start(kind);
        var acquire = AcquireForTask0(rig);

        rig.Consumer.Tell(new JobEnded(JobId, JobState.Cancelled), rig.Manager.Ref);
        rig.Resources.Reply(new Granted(acquire.RequestId, 9, "disk", 1));

        // The withdrawal crossed the grant: the grant is given back.
        Assert.Equal(acquire.RequestId, rig.Resources.ExpectMsg<CancelAcquire>().RequestId);
        Assert.Equal(9, rig.Resources.ExpectMsg<Release>().LeaseId);
        Assert.Empty(kind.Log.Starts);
    }

    [Fact]
    public void Takes_the_resources_a_task_names_for_itself_with_the_fixed_ones_in_name_order()
    {
        var kind = new SquaresKind
        {
            ResourcesPerTask = new Dictionary<string, int> { ["disk"] = 1 },
            ResourcesForTask = i => [new TaskResource($"http:host-{i}", 1, CreatePermits: 3, Wait: Timeout.InfiniteTimeSpan), new TaskResource("cpu", 2)],
        };
        var rig = Start(kind);
        StartJob(rig);
        rig.Producer.ExpectMsg<RequestWork>();
        rig.Producer.Reply(Work(4));

        var acquired = new List<Acquire>();
        for (var lease = 1; lease <= 3; lease++)
        {
            var acquire = rig.Resources.ExpectMsg<Acquire>();
            acquired.Add(acquire);
            Assert.Empty(kind.Log.Starts);
            rig.Resources.Reply(new Granted(acquire.RequestId, lease, acquire.Name, acquire.Permits));
        }

        Assert.Equal(["cpu", "disk", "http:host-4"], acquired.Select(a => a.Name));
        Assert.Equal((3, Timeout.InfiniteTimeSpan), (acquired[2].CreatePermits, acquired[2].Timeout));
        // The fixed resource waits as long as the settings say, and must exist already.
        Assert.Equal((0, TaskSystemFixture.Settings().ResourceAcquireTimeout), (acquired[1].CreatePermits, acquired[1].Timeout));
        Assert.Equal(16, SquaresKind.Value(Assert.Single(rig.Producer.ExpectMsg<TaskResults>().Succeeded).Result));
        Assert.Equal([1L, 2, 3], new[] { rig.Resources.ExpectMsg<Release>(), rig.Resources.ExpectMsg<Release>(), rig.Resources.ExpectMsg<Release>() }
            .Select(r => r.LeaseId).Order());
    }

    [Fact]
    public void A_request_still_waiting_when_its_job_ends_is_withdrawn()
    {
        var kind = new SquaresKind { ResourcesForTask = _ => [new TaskResource("http:slow", 1, CreatePermits: 1, Wait: Timeout.InfiniteTimeSpan)] };
        var rig = Start(kind);
        var acquire = AcquireForTask0(rig);

        rig.Consumer.Tell(new JobEnded(JobId, JobState.Cancelled), rig.Manager.Ref);

        Assert.Equal(acquire.RequestId, rig.Resources.ExpectMsg<CancelAcquire>().RequestId);
        Assert.Empty(kind.Log.Starts);
    }

    [Fact]
    public void A_task_whose_resources_cannot_be_worked_out_fails_without_running_and_the_next_task_runs()
    {
        var kind = new SquaresKind { ResourcesForTask = i => i == 1 ? throw new InvalidDataException("task 1 names no host") : [] };
        var rig = Start(kind);
        StartJob(rig);
        rig.Producer.ExpectMsg<RequestWork>();
        rig.Producer.Reply(Work(1, 2));

        var failed = Assert.Single(rig.Producer.ExpectMsg<TaskResults>().Failed);
        Assert.Equal((1L, "System.IO.InvalidDataException", "task 1 names no host"), (failed.Index, failed.ErrorType, failed.Message));
        Assert.Equal(2, Assert.Single(rig.Producer.ExpectMsg<TaskResults>().Succeeded).Index);
        Assert.Equal([2L], kind.Log.Starts.Select(s => s.Index));
    }

    [Fact]
    public void A_job_of_a_kind_this_node_does_not_know_is_declined_to_the_manager_naming_the_node_and_kind()
    {
        var rig = Start(new SquaresKind());
        StartJob(rig, kind: "unknown-kind");

        var declined = rig.Manager.ExpectMsg<JobDeclined>();
        Assert.Equal(JobId, declined.JobId);
        Assert.Equal(((ExtendedActorSystem)Sys).Provider.DefaultAddress.ToString(), declined.Node);
        Assert.Equal("the job kind 'unknown-kind' is not loaded there", declined.Reason);
        rig.Producer.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_job_whose_arguments_do_not_prepare_here_is_declined_with_the_reason()
    {
        var rig = Start(new SquaresKind());
        rig.Consumer.Tell(new JobStarted(JobId, "squares", ["not-a-number"], rig.Producer.Ref), rig.Manager.Ref);

        var declined = rig.Manager.ExpectMsg<JobDeclined>();
        Assert.Equal("N: expected a whole number of tasks, at least 0, but got 'not-a-number'", declined.Reason);
        rig.Producer.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_job_started_again_with_a_new_producer_is_pulled_from_the_new_producer()
    {
        // After a failover the job manager starts job 5 again with a new producer; the old one may still be alive.
        var kind = new SquaresKind();
        var rig = Start(kind);
        StartJob(rig);
        rig.Producer.ExpectMsg<RequestWork>();
        var restarted = CreateTestProbe("new-producer");

        rig.Consumer.Tell(new JobStarted(JobId, "squares", ["100"], restarted.Ref), rig.Manager.Ref);

        Assert.Equal(new RequestWork(JobId, 1), restarted.ExpectMsg<RequestWork>());
        restarted.Reply(Work(4));
        var results = restarted.ExpectMsg<TaskResults>();
        Assert.Equal(16, SquaresKind.Value(Assert.Single(results.Succeeded).Result));
        Assert.Equal(rig.Consumer, restarted.LastSender);
        rig.Producer.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // Work the old producer still sends is run for it, and its results go back to it, not to the new one.
        rig.Producer.Send(rig.Consumer, Work(2));
        Assert.Equal(2, Assert.Single(rig.Producer.ExpectMsg<TaskResults>().Succeeded).Index);
        restarted.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // The old producer dies: only its slot goes, and the new producer still gets the consumer's results.
        Sys.Stop(rig.Producer.Ref);
        restarted.Send(rig.Consumer, Work(6));
        Assert.Equal(6, Assert.Single(restarted.FishForMessage<TaskResults>(r => r.Succeeded.Length > 0).Succeeded).Index);
    }

    [Fact]
    public void Jobs_take_turns_on_one_consumer()
    {
        var kind = new SquaresKind();
        var rig = Start(kind);
        var other = CreateTestProbe("other-producer");
        StartJob(rig);
        rig.Consumer.Tell(new JobStarted("6", "squares", ["100"], other.Ref), rig.Manager.Ref);
        rig.Producer.ExpectMsg<RequestWork>();
        other.ExpectMsg<RequestWork>();

        rig.Producer.Reply(Work(1));
        other.Reply(new WorkAssigned("6", [new WorkItem(2, SquaresKind.Payload(2), 1)]));

        Assert.Equal(1, Assert.Single(rig.Producer.ExpectMsg<TaskResults>(r => r.JobId == JobId).Succeeded).Index);
        Assert.Equal(2, Assert.Single(other.ExpectMsg<TaskResults>(r => r.JobId == "6").Succeeded).Index);
    }

    [Fact]
    public void When_the_job_manager_dies_the_consumer_registers_again()
    {
        var rig = Start(new SquaresKind());
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        Sys.Stop(rig.Manager.Ref);
        // The manager is gone, so the renewed registrations land in dead letters until a manager is back.
        var again = FishForMessage<DeadLetter>(d => d.Message is RegisterConsumer, TimeSpan.FromSeconds(10));
        Assert.Equal(rig.Consumer, ((RegisterConsumer)again.Message).Consumer);
    }
}

using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.Resources;
using ActorTasks.Tasks.Tests.Support;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tasks.Tests.Resources;

// DEBUG, so that the EventFilter sees the debug event of an unknown lease.
public sealed class ResourceManagerTests(ITestOutputHelper output) : TestKit(TaskSystemFixture.Config("DEBUG"), output: output)
{
    private static readonly TimeSpan Forever = Timeout.InfiniteTimeSpan;

    private IActorRef Manager(params (string Name, int Permits)[] resources) =>
        Sys.ActorOf(ResourceManager.Props(TaskSystemSettings.Default with
        {
            Resources = resources.ToDictionary(r => r.Name, r => r.Permits),
        }));

    [Fact]
    public void Grants_at_once_while_permits_are_free()
    {
        var manager = Manager(("disk", 3));
        manager.Tell(new Acquire("disk", 2, Forever, RequestId: 1), TestActor);
        var granted = ExpectMsg<Granted>();
        Assert.Equal((1L, "disk", 2), (granted.RequestId, granted.Name, granted.Permits));

        manager.Tell(GetResources.Instance, TestActor);
        var disk = Assert.Single(ExpectMsg<ResourcesReport>().Resources);
        Assert.Equal((3, 1), (disk.Permits, disk.Available));
        var lease = Assert.Single(disk.Holders);
        Assert.Equal((granted.LeaseId, TestActor.Path.ToString(), 2), (lease.LeaseId, lease.Holder, lease.Permits));
    }

    [Fact]
    public void Waiters_are_granted_in_the_order_they_asked_as_permits_come_back()
    {
        var manager = Manager(("disk", 1));
        var holder = CreateTestProbe();
        manager.Tell(new Acquire("disk", 1, Forever, 1), holder.Ref);
        var lease = holder.ExpectMsg<Granted>().LeaseId;
        var waiters = Enumerable.Range(0, 3).Select(_ => CreateTestProbe()).ToArray();
        for (var i = 0; i < waiters.Length; i++) manager.Tell(new Acquire("disk", 1, Forever, 10 + i), waiters[i].Ref);
        foreach (var w in waiters) w.ExpectNoMsg(TimeSpan.FromMilliseconds(50));

        var next = lease;
        for (var i = 0; i < waiters.Length; i++)
        {
            manager.Tell(new Release(next), TestActor);
            var granted = waiters[i].ExpectMsg<Granted>();
            Assert.Equal(10 + i, granted.RequestId);
            foreach (var later in waiters.Skip(i + 1)) later.ExpectNoMsg(TimeSpan.FromMilliseconds(20));
            next = granted.LeaseId;
        }
    }

    [Fact]
    public void A_big_request_at_the_head_holds_back_a_later_small_one_even_when_its_permits_are_free()
    {
        var manager = Manager(("disk", 4));
        var holder = CreateTestProbe();
        manager.Tell(new Acquire("disk", 3, Forever, 1), holder.Ref);
        var lease = holder.ExpectMsg<Granted>().LeaseId;
        var big = CreateTestProbe();
        var small = CreateTestProbe();
        manager.Tell(new Acquire("disk", 4, Forever, 2), big.Ref);
        manager.Tell(new Acquire("disk", 1, Forever, 3), small.Ref);

        // One permit is free, but the request for four came first: the small one waits behind it.
        small.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        manager.Tell(new Release(lease), TestActor);
        var bigLease = big.ExpectMsg<Granted>().LeaseId;
        small.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        manager.Tell(new Release(bigLease), TestActor);
        small.ExpectMsg<Granted>(g => g.RequestId == 3);
    }

    [Fact]
    public void A_request_that_waits_past_its_timeout_times_out_and_leaves_the_queue()
    {
        var manager = Manager(("disk", 2));
        manager.Tell(new Acquire("disk", 1, Forever, 1), TestActor);
        ExpectMsg<Granted>();
        var impatient = CreateTestProbe();
        var patient = CreateTestProbe();
        manager.Tell(new Acquire("disk", 2, TimeSpan.FromMilliseconds(100), 2), impatient.Ref);
        manager.Tell(new Acquire("disk", 1, Forever, 3), patient.Ref);

        var timedOut = impatient.ExpectMsg<AcquireTimedOut>();
        Assert.Equal((2L, "disk", 2), (timedOut.RequestId, timedOut.Name, timedOut.Permits));
        Assert.True(timedOut.Waited >= TimeSpan.FromMilliseconds(90), $"waited {timedOut.Waited}");
        // With the head gone, the request behind it fits at once.
        patient.ExpectMsg<Granted>(g => g.RequestId == 3);
        impatient.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_zero_timeout_grants_only_what_is_free_now()
    {
        var manager = Manager(("disk", 1));
        manager.Tell(new Acquire("disk", 1, TimeSpan.Zero, 1), TestActor);
        ExpectMsg<Granted>();
        manager.Tell(new Acquire("disk", 1, TimeSpan.Zero, 2), TestActor);
        Assert.Equal(TimeSpan.Zero, ExpectMsg<AcquireTimedOut>(t => t.RequestId == 2).Waited);
    }

    [Fact]
    public void A_holder_that_dies_passes_its_permits_to_the_next_waiter_at_once()
    {
        var manager = Manager(("disk", 2));
        var holder = CreateTestProbe();
        manager.Tell(new Acquire("disk", 2, Forever, 1), holder.Ref);
        holder.ExpectMsg<Granted>();
        var waiter = CreateTestProbe();
        manager.Tell(new Acquire("disk", 2, Forever, 2), waiter.Ref);
        waiter.ExpectNoMsg(TimeSpan.FromMilliseconds(50));

        Sys.Stop(holder.Ref);

        // No timeout is involved: the wait below is far shorter than any lease timeout would be.
        waiter.ExpectMsg<Granted>(g => g.RequestId == 2, TimeSpan.FromSeconds(1));
        manager.Tell(GetResources.Instance, TestActor);
        var disk = Assert.Single(ExpectMsg<ResourcesReport>().Resources);
        Assert.Equal(waiter.Ref.Path.ToString(), Assert.Single(disk.Holders).Holder);
    }

    [Fact]
    public void A_waiter_that_dies_leaves_the_queue()
    {
        var manager = Manager(("disk", 1));
        manager.Tell(new Acquire("disk", 1, Forever, 1), TestActor);
        var lease = ExpectMsg<Granted>().LeaseId;
        var doomed = CreateTestProbe();
        var next = CreateTestProbe();
        manager.Tell(new Acquire("disk", 1, Forever, 2), doomed.Ref);
        manager.Tell(new Acquire("disk", 1, Forever, 3), next.Ref);
        Watch(doomed.Ref);
        Sys.Stop(doomed.Ref);
        ExpectTerminated(doomed.Ref);

        AwaitAssert(() =>
        {
            manager.Tell(GetResources.Instance, TestActor);
            Assert.Equal([3L], ExpectMsg<ResourcesReport>().Resources[0].Waiters.Select(w => w.RequestId));
        });
        manager.Tell(new Release(lease), TestActor);
        next.ExpectMsg<Granted>(g => g.RequestId == 3);
    }

    [Fact]
    public void Releasing_an_unknown_lease_is_ignored_with_a_debug_log()
    {
        var manager = Manager(("disk", 1));
        EventFilter.Debug(contains: "unknown lease 999").ExpectOne(() => manager.Tell(new Release(999), TestActor));
        manager.Tell(new Acquire("disk", 1, TimeSpan.Zero, 1), TestActor);
        ExpectMsg<Granted>();
    }

    [Fact]
    public void A_lease_released_twice_frees_its_permits_once()
    {
        var manager = Manager(("disk", 2));
        manager.Tell(new Acquire("disk", 1, Forever, 1), TestActor);
        var lease = ExpectMsg<Granted>().LeaseId;
        manager.Tell(new Release(lease), TestActor);
        manager.Tell(new Release(lease), TestActor);
        manager.Tell(GetResources.Instance, TestActor);
        Assert.Equal(2, ExpectMsg<ResourcesReport>().Resources[0].Available);
    }

    [Theory]
    [InlineData("gpu", 1, "no resource is named 'gpu'; defined: disk")]
    [InlineData("disk", 3, "asks for 3 permits, but the resource has only 2")]
    [InlineData("disk", 0, "at least 1 is needed")]
    public void A_request_that_could_never_be_granted_is_rejected_with_the_reason(string name, int permits, string reason)
    {
        var manager = Manager(("disk", 2));
        manager.Tell(new Acquire(name, permits, Forever, 7), TestActor);
        var rejected = ExpectMsg<AcquireRejected>();
        Assert.Equal((7L, name), (rejected.RequestId, rejected.Name));
        Assert.Contains(reason, rejected.Reason);
    }

    [Fact]
    public void Defining_a_resource_adds_it_and_redefining_it_grants_waiters_that_now_fit()
    {
        var manager = Manager();
        manager.Tell(new DefineResource("net", 1), TestActor);
        ExpectMsg(new ResourceDefined("net", 1));
        manager.Tell(new Acquire("net", 1, Forever, 1), TestActor);
        ExpectMsg<Granted>();
        var waiter = CreateTestProbe();
        manager.Tell(new Acquire("net", 1, Forever, 2), waiter.Ref);
        waiter.ExpectNoMsg(TimeSpan.FromMilliseconds(50));

        manager.Tell(new DefineResource("net", 2), TestActor);
        ExpectMsg(new ResourceDefined("net", 2));
        waiter.ExpectMsg<Granted>(g => g.RequestId == 2);
    }

    [Theory]
    [InlineData("", 2)]
    [InlineData("  ", 2)]
    [InlineData("net", 0)]
    [InlineData("net", -1)]
    public void A_definition_without_a_name_or_permits_is_refused_with_the_reason_and_defines_nothing(string name, int permits)
    {
        var manager = Manager(("disk", 1));
        manager.Tell(new DefineResource(name, permits), TestActor);

        var refused = ExpectMsg<ResourceNotDefined>();
        Assert.Equal((name, permits), (refused.Name, refused.Permits));
        Assert.Contains("a resource needs a name and at least 1 permit", refused.Reason);
        manager.Tell(GetResources.Instance, TestActor);
        Assert.Equal(["disk"], ExpectMsg<ResourcesReport>().Resources.Select(r => r.Name));
    }

    [Fact]
    public void Shrinking_a_resource_rejects_waiters_that_can_no_longer_fit()
    {
        var manager = Manager(("net", 3));
        manager.Tell(new Acquire("net", 1, Forever, 1), TestActor);
        ExpectMsg<Granted>();
        var waiter = CreateTestProbe();
        manager.Tell(new Acquire("net", 3, Forever, 2), waiter.Ref);
        manager.Tell(new DefineResource("net", 2), TestActor);
        Assert.Contains("now has only 2", waiter.ExpectMsg<AcquireRejected>().Reason);
    }

    [Fact]
    public void The_report_lists_holders_and_waiters_in_queue_order()
    {
        var manager = Manager(("disk", 1), ("cpu", 2));
        manager.Tell(new Acquire("disk", 1, Forever, 1), TestActor);
        ExpectMsg<Granted>();
        var first = CreateTestProbe("first");
        var second = CreateTestProbe("second");
        manager.Tell(new Acquire("disk", 1, Forever, 2), first.Ref);
        manager.Tell(new Acquire("disk", 1, Forever, 3), second.Ref);

        AwaitAssert(() =>
        {
            manager.Tell(GetResources.Instance, TestActor);
            var report = ExpectMsg<ResourcesReport>();
            Assert.Equal(["cpu", "disk"], report.Resources.Select(r => r.Name));
            var disk = report.Resources[1];
            Assert.Equal(0, disk.Available);
            Assert.Equal([first.Ref.Path.ToString(), second.Ref.Path.ToString()], disk.Waiters.Select(w => w.Waiter));
            Assert.Empty(report.Resources[0].Holders);
        });
    }

    [Fact]
    public void A_resource_of_zero_permits_has_one_per_node_that_runs_consumers_and_follows_them_as_they_register_and_leave()
    {
        var manager = Manager(("disk", 0), ("gpu", 2));
        Assert.Equal((1, 2), Permits(manager));

        var first = CreateTestProbe();
        var second = CreateTestProbe();
        var third = CreateTestProbe();
        manager.Tell(new RegisterConsumerPool(first.Ref, 2), first.Ref);
        Assert.Equal(2, first.ExpectMsg<ConsumerPoolRegistered>().TotalConsumers);
        manager.Tell(new RegisterConsumerPool(second.Ref, 3), second.Ref);
        Assert.Equal(5, second.ExpectMsg<ConsumerPoolRegistered>().TotalConsumers);
        // A seed that runs no consumers registers none: it adds no permit.
        manager.Tell(new RegisterConsumerPool(third.Ref, 0), third.Ref);
        Assert.Equal(5, third.ExpectMsg<ConsumerPoolRegistered>().TotalConsumers);
        Assert.Equal((2, 2), Permits(manager));

        // A node that goes takes its permit with it; holders keep what they hold.
        var holder = CreateTestProbe();
        manager.Tell(new Acquire("disk", 2, Forever, 1), holder.Ref);
        holder.ExpectMsg<Granted>();
        Sys.Stop(second.Ref);
        AwaitAssert(() => Assert.Equal((1, 2), Permits(manager)));
        manager.Tell(GetResources.Instance, TestActor);
        Assert.Equal(-1, ExpectMsg<ResourcesReport>().Resources.Single(r => r.Name == "disk").Available);
    }

    [Fact]
    public void A_consumer_pool_registers_its_consumers_and_again_with_a_manager_that_replaces_the_first()
    {
        var first = Manager(("disk", 0));
        // Stands for the singleton proxy: the pools always talk to it, and it leads to whichever manager is current.
        var proxy = Sys.ActorOf(Props.Create(() => new Forwarder(first)));
        // Two nodes' pools: two permits.
        var pools = Enumerable.Range(0, 2).Select(_ => Sys.ActorOf(ActorTasks.Tasks.Consumers.ConsumerPool.Props(CreateTestProbe().Ref, proxy,
            new ActorTasks.Tasks.JobKinds.JobKindRegistry(), TaskSystemSettings.Default with { ConsumersPerNode = 3 }))).ToList();
        AwaitAssert(() => Assert.Equal(2, Permits(first).Disk), TimeSpan.FromSeconds(5));

        var second = Manager(("disk", 0));
        proxy.Tell(second);
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);
        AwaitAssert(() => Assert.Equal(2, Permits(second).Disk), TimeSpan.FromSeconds(5));

        Sys.Stop(pools[0]);
        AwaitAssert(() => Assert.Equal(1, Permits(second).Disk), TimeSpan.FromSeconds(5));
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef target)
        {
            Receive<IActorRef>(next => target = next);
            ReceiveAny(m => target.Forward(m));
        }
    }

    private (int Disk, int Other) Permits(IActorRef manager)
    {
        manager.Tell(GetResources.Instance, TestActor);
        var resources = ExpectMsg<ResourcesReport>().Resources;
        return (resources.Single(r => r.Name == "disk").Permits, resources.Where(r => r.Name != "disk").Sum(r => r.Permits));
    }

    [Fact]
    public void A_request_for_an_unknown_resource_with_create_permits_creates_it_and_it_is_forgotten_once_unused()
    {
        var manager = Manager();
        manager.Tell(new Acquire("http:example.org", 1, Forever, 1, CreatePermits: 2), TestActor);
        var first = ExpectMsg<Granted>();
        manager.Tell(new Acquire("http:example.org", 1, Forever, 2, CreatePermits: 2), TestActor);
        var second = ExpectMsg<Granted>();
        var third = CreateTestProbe();
        manager.Tell(new Acquire("http:example.org", 1, Forever, 3, CreatePermits: 2), third.Ref);
        third.ExpectNoMsg(TimeSpan.FromMilliseconds(50));

        manager.Tell(GetResources.Instance, TestActor);
        var host = Assert.Single(ExpectMsg<ResourcesReport>().Resources);
        Assert.Equal(("http:example.org", 2, 0, 1), (host.Name, host.Permits, host.Available, host.Waiters.Count));

        manager.Tell(new Release(first.LeaseId), TestActor);
        var last = third.ExpectMsg<Granted>().LeaseId;
        manager.Tell(new Release(second.LeaseId), TestActor);
        manager.Tell(new Release(last), TestActor);
        manager.Tell(GetResources.Instance, TestActor);
        Assert.Empty(ExpectMsg<ResourcesReport>().Resources);
    }

    [Fact]
    public void An_existing_resource_keeps_its_permits_whatever_a_request_would_create_it_with()
    {
        var manager = Manager(("http:example.org", 1));
        manager.Tell(new Acquire("http:example.org", 1, Forever, 1, CreatePermits: 5), TestActor);
        var lease = ExpectMsg<Granted>().LeaseId;
        var waiter = CreateTestProbe();
        manager.Tell(new Acquire("http:example.org", 1, Forever, 2, CreatePermits: 5), waiter.Ref);
        waiter.ExpectNoMsg(TimeSpan.FromMilliseconds(50));

        manager.Tell(new Release(lease), TestActor);
        manager.Tell(new Release(waiter.ExpectMsg<Granted>().LeaseId), waiter.Ref);
        // Defined in the settings, so kept when unused.
        manager.Tell(GetResources.Instance, TestActor);
        var kept = Assert.Single(ExpectMsg<ResourcesReport>().Resources);
        Assert.Equal((1, 1), (kept.Permits, kept.Available));
    }

    [Fact]
    public void A_resource_created_on_first_use_and_then_defined_is_kept_when_unused()
    {
        var manager = Manager();
        manager.Tell(new Acquire("net", 1, Forever, 1, CreatePermits: 1), TestActor);
        var lease = ExpectMsg<Granted>().LeaseId;
        manager.Tell(new DefineResource("net", 3), TestActor);
        ExpectMsg(new ResourceDefined("net", 3));
        manager.Tell(new Release(lease), TestActor);

        manager.Tell(GetResources.Instance, TestActor);
        Assert.Equal(("net", 3), Assert.Single(ExpectMsg<ResourcesReport>().Resources) is var r ? (r.Name, r.Available) : default);
    }

    [Theory]
    [InlineData(2, 1, "asks for 2 permits, but the resource has only 1")]
    [InlineData(1, -1, "asks to create the resource with -1 permits")]
    public void A_request_that_cannot_be_granted_on_a_resource_it_would_create_is_rejected_and_creates_nothing(int permits, int create, string reason)
    {
        var manager = Manager();
        manager.Tell(new Acquire("http:example.org", permits, Forever, 1, CreatePermits: create), TestActor);

        Assert.Contains(reason, ExpectMsg<AcquireRejected>().Reason);
        manager.Tell(GetResources.Instance, TestActor);
        Assert.Empty(ExpectMsg<ResourcesReport>().Resources);
    }

    [Fact]
    public void A_withdrawn_request_leaves_the_queue_and_the_permits_go_to_the_next_waiter()
    {
        var manager = Manager(("disk", 1));
        manager.Tell(new Acquire("disk", 1, Forever, 1), TestActor);
        var lease = ExpectMsg<Granted>().LeaseId;
        var withdrawn = CreateTestProbe();
        var next = CreateTestProbe();
        manager.Tell(new Acquire("disk", 1, Forever, 7), withdrawn.Ref);
        manager.Tell(new Acquire("disk", 1, Forever, 8), next.Ref);
        // Only the sender's own request is withdrawn: the same id from another actor changes nothing.
        manager.Tell(new CancelAcquire(8), withdrawn.Ref);
        manager.Tell(new CancelAcquire(7), withdrawn.Ref);

        manager.Tell(new Release(lease), TestActor);
        Assert.Equal(8, next.ExpectMsg<Granted>().RequestId);
        withdrawn.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }
}

using ActorTasks.Actor;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Tests.Provider;
using Xunit;

namespace ActorTasks.Remote.Tests.Watch;

/// <summary>Watching actors on another node: Terminated when they stop, when they never existed, and when their node dies.</summary>
public sealed class RemoteDeathWatchTests : TwoNodeTestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private sealed class Idle : ReceiveActor
    {
        public Idle() => ReceiveAny(m => Sender.Tell(m));
    }

    [Fact]
    public async Task Terminated_arrives_when_a_watched_remote_actor_stops()
    {
        var local = Other.ActorOf(Props.Create<Idle>(), "idle");
        var remote = await ResolveAsync(Other, "/user/idle");
        Watch(remote);
        Assert.Equal("ready", await remote.Ask<string>("ready", Timeout)); // the watch went out before this round trip
        Other.Stop(local);
        var terminated = ExpectTerminated(remote, Timeout);
        Assert.True(terminated.ExistenceConfirmed);
        Assert.False(terminated.AddressTerminated);
        Assert.Same(remote, terminated.ActorRef);
    }

    [Fact]
    public void Watching_a_remote_actor_that_does_not_exist_gives_Terminated_at_once()
    {
        var ghost = Sys.ResolveActorRef(ActorPath.Parse($"{Other.Address}/user/never-was"))!;
        Watch(ghost);
        var terminated = ExpectTerminated(ghost, Timeout);
        Assert.False(terminated.ExistenceConfirmed);
    }

    [Fact]
    public async Task An_unwatched_remote_actor_stops_without_a_Terminated()
    {
        var first = Other.ActorOf(Props.Create<Idle>(), "first");
        var second = Other.ActorOf(Props.Create<Idle>(), "second");
        var remoteFirst = await ResolveAsync(Other, "/user/first");
        var remoteSecond = await ResolveAsync(Other, "/user/second");
        Watch(remoteFirst);
        Watch(remoteSecond);
        Unwatch(remoteFirst);
        Assert.Equal("ready", await remoteFirst.Ask<string>("ready", Timeout));
        Other.Stop(first);
        Assert.Equal("still here", await remoteSecond.Ask<string>("still here", Timeout));
        Other.Stop(second);
        // Notifications from one node arrive in order: had the unwatch failed, the first one would come first.
        Assert.Same(remoteSecond, ExpectMsg<Terminated>(Timeout).ActorRef);
    }

    [Fact]
    public async Task Every_watcher_of_a_node_that_stops_answering_gets_Terminated_with_address_terminated()
    {
        Other.ActorOf(Props.Create<Idle>(), "a");
        Other.ActorOf(Props.Create<Idle>(), "b");
        var a = await ResolveAsync(Other, "/user/a");
        var b = await ResolveAsync(Other, "/user/b");
        var probe = CreateTestProbe();
        Watch(a);
        probe.Watch(b);
        Assert.Equal("ready", await b.Ask<string>("ready", Timeout));

        // The node's actors live on, but nothing reaches it any more: only the failure detector can tell.
        await RemoteActorRefProvider.For(Other)!.DisposeAsync();

        var terminatedA = ExpectTerminated(a, Timeout);
        var terminatedB = probe.ExpectTerminated(b, Timeout);
        Assert.True(terminatedA.AddressTerminated);
        Assert.True(terminatedB.AddressTerminated);
    }

    [Fact]
    public async Task A_watcher_that_stops_first_is_not_told_and_the_watchee_node_keeps_working()
    {
        Other.ActorOf(Props.Create<Idle>(), "idle");
        var remote = await ResolveAsync(Other, "/user/idle");
        var probe = CreateTestProbe();
        probe.Watch(remote);
        Sys.Stop(probe.Ref);
        Watch(probe.Ref);
        ExpectTerminated(probe.Ref, Timeout);
        Assert.Equal("alive", await remote.Ask<string>("alive", Timeout));
    }
}

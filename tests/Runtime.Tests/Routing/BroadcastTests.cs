using ActorTasks.Actor;
using ActorTasks.Routing;
using Xunit;

namespace ActorTasks.Tests.Routing;

public sealed class BroadcastTests : RoutingTestKit
{
    [Fact]
    public void Pool_delivers_every_message_to_every_routee()
    {
        var router = Sys.ActorOf(Props.Create<Reporter>().WithRouter(new BroadcastPool(3)));
        var routees = RouteeActorsOf(router);

        router.Tell("one", TestActor);
        router.Tell("two", TestActor);

        var replies = ReceiveRouted(6);
        foreach (var routee in routees)
            Assert.Equal(["one", "two"], replies.Where(r => r.Routee.Equals(routee)).Select(r => r.Message));
    }

    [Fact]
    public void Group_delivers_every_message_to_every_path()
    {
        var (actors, paths) = Reporters("a", "b", "c");
        var router = Sys.ActorOf(new BroadcastGroup(paths).Props());

        router.Tell("hello", TestActor);

        Assert.Equal(actors.Select(a => new Routed(a, "hello")).ToHashSet(), ReceiveRouted(3).ToHashSet());
    }

    [Fact]
    public void Broadcast_envelope_reaches_every_routee_of_a_round_robin_pool_unwrapped()
    {
        var router = Sys.ActorOf(Props.Create<Reporter>().WithRouter(new RoundRobinPool(3)));
        var routees = RouteeActorsOf(router);

        router.Tell(new Broadcast("all"), TestActor);

        Assert.Equal(routees.Select(a => new Routed(a, "all")).ToHashSet(), ReceiveRouted(3).ToHashSet());
        ExpectNoMsg();
    }

    [Fact]
    public void Broadcast_envelope_reaches_every_member_of_a_consistent_hashing_group_without_a_key()
    {
        var (actors, paths) = Reporters("a", "b");
        var router = Sys.ActorOf(new ConsistentHashingGroup(paths).Props());

        router.Tell(new Broadcast("all"), TestActor);

        Assert.Equal(actors.Select(a => new Routed(a, "all")).ToHashSet(), ReceiveRouted(2).ToHashSet());
    }
}

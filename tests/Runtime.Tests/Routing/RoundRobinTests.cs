using ActorTasks.Actor;
using ActorTasks.Routing;
using Xunit;

namespace ActorTasks.Tests.Routing;

public sealed class RoundRobinTests : RoutingTestKit
{
    [Fact]
    public void Pool_sends_each_message_to_the_next_routee_in_turn_keeping_the_sender()
    {
        var router = Sys.ActorOf(Props.Create<Reporter>().WithRouter(new RoundRobinPool(3)), "workers");
        var routees = RouteeActorsOf(router);

        for (var i = 0; i < 9; i++) router.Tell(i, TestActor);

        AssertTakenInTurn(routees, ReceiveRouted(9));
    }

    [Fact]
    public void Pool_Props_helper_makes_the_same_router_as_WithRouter()
    {
        var router = Sys.ActorOf(new RoundRobinPool(2).Props(Props.Create<Reporter>()));
        var routees = RouteeActorsOf(router);

        for (var i = 0; i < 4; i++) router.Tell(i, TestActor);

        AssertTakenInTurn(routees, ReceiveRouted(4));
    }

    [Fact]
    public void Group_sends_each_message_to_the_next_path_in_turn_keeping_the_sender()
    {
        var (actors, paths) = Reporters("a", "b", "c");
        var router = Sys.ActorOf(new RoundRobinGroup(paths).Props(), "group");

        for (var i = 0; i < 9; i++) router.Tell(i, TestActor);

        AssertTakenInTurn(actors, ReceiveRouted(9));
    }

    [Fact]
    public void Group_built_from_any_props_with_WithRouter_ignores_those_props()
    {
        var (actors, paths) = Reporters("a", "b");
        var router = Sys.ActorOf(Props.Create<Reporter>().WithRouter(new RoundRobinGroup(paths.ToList())));

        for (var i = 0; i < 4; i++) router.Tell(i, TestActor);

        AssertTakenInTurn(actors, ReceiveRouted(4));
        Assert.Empty(((LocalActorRef)router).Cell.Children);
    }

    /// <summary>Message i went to routee i mod n, and each routee saw its messages in order.</summary>
    private static void AssertTakenInTurn(IReadOnlyList<IActorRef> routees, IReadOnlyList<Routed> replies)
    {
        for (var r = 0; r < routees.Count; r++)
        {
            var expected = Enumerable.Range(0, replies.Count).Where(i => i % routees.Count == r).Cast<object>();
            Assert.Equal(expected, replies.Where(x => x.Routee.Equals(routees[r])).Select(x => x.Message));
        }
    }
}

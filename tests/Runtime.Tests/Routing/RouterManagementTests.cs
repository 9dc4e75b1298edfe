using ActorTasks.Actor;
using ActorTasks.Event;
using ActorTasks.Routing;
using Xunit;

namespace ActorTasks.Tests.Routing;

public sealed class RouterManagementTests : RoutingTestKit
{
    [Fact]
    public void GetRoutees_answers_with_the_pool_routees_which_are_children_of_the_router()
    {
        var router = Sys.ActorOf(Props.Create<Reporter>().WithRouter(new RoundRobinPool(3)), "pool");

        var routees = RouteeActorsOf(router);

        Assert.Equal(3, routees.Distinct().Count());
        Assert.All(routees, r => Assert.Equal(router.Path, r.Path.Parent));
    }

    [Fact]
    public void AddRoutee_adds_an_actor_that_then_gets_its_turn()
    {
        var (actors, paths) = Reporters("a", "b");
        var router = Sys.ActorOf(new RoundRobinGroup(paths[0]).Props());

        router.Tell(new AddRoutee(new ActorRefRoutee(actors[1])), TestActor);
        router.Tell(new AddRoutee(new ActorRefRoutee(actors[1])), TestActor); // a second add changes nothing
        for (var i = 0; i < 4; i++) router.Tell(i, TestActor);

        var replies = ReceiveRouted(4);
        Assert.Equal([0, 2], replies.Where(r => r.Routee.Equals(actors[0])).Select(r => r.Message));
        Assert.Equal([1, 3], replies.Where(r => r.Routee.Equals(actors[1])).Select(r => r.Message));
        Assert.Equal(2, RouteesOf(router).Count);
    }

    [Fact]
    public void RemoveRoutee_stops_a_pool_routee_and_routes_to_the_rest()
    {
        var router = Sys.ActorOf(Props.Create<Reporter>().WithRouter(new RoundRobinPool(3)));
        var routees = RouteeActorsOf(router);
        Watch(routees[0]);

        router.Tell(new RemoveRoutee(new ActorRefRoutee(routees[0])), TestActor);

        ExpectTerminated(routees[0]);
        Assert.Equal(routees.Skip(1), RouteeActorsOf(router));
        for (var i = 0; i < 4; i++) router.Tell(i, TestActor);
        Assert.DoesNotContain(routees[0], ReceiveRouted(4).Select(r => r.Routee));
    }

    [Fact]
    public void RemoveRoutee_leaves_a_group_member_running()
    {
        var (actors, paths) = Reporters("a", "b");
        var router = Sys.ActorOf(new RoundRobinGroup(paths).Props());

        router.Tell(new RemoveRoutee(new ActorRefRoutee(actors[0])), TestActor);
        for (var i = 0; i < 3; i++) router.Tell(i, TestActor);

        Assert.All(ReceiveRouted(3), r => Assert.Equal(actors[1], r.Routee));
        actors[0].Tell(new Identify("alive"), TestActor);
        ExpectMsg(new ActorIdentity("alive", actors[0]));
    }

    [Fact]
    public void RemoveRoutee_of_a_selection_matches_it_by_path()
    {
        var router = Sys.ActorOf(new RoundRobinGroup("/user/not-yet", "/user/neither").Props());

        router.Tell(new RemoveRoutee(new ActorSelectionRoutee(Sys.ActorSelection("/user/not-yet"))), TestActor);

        var remaining = Assert.Single(RouteesOf(router));
        Assert.Equal("/user/neither", ((ActorSelectionRoutee)remaining).Selection.PathString);
    }

    [Fact]
    public void AdjustPoolSize_grows_and_shrinks_the_pool()
    {
        var router = Sys.ActorOf(Props.Create<Reporter>().WithRouter(new RoundRobinPool(2)));

        router.Tell(new AdjustPoolSize(3), TestActor);
        var grown = RouteeActorsOf(router);
        Assert.Equal(5, grown.Distinct().Count());
        Assert.All(grown, r => Assert.Equal(router.Path, r.Path.Parent));

        // Terminated goes to its own probe: it may overtake the GetRoutees reply on TestActor.
        var watcher = CreateTestProbe();
        foreach (var r in grown.Skip(1)) watcher.Watch(r);
        router.Tell(new AdjustPoolSize(-4), TestActor);
        Assert.Equal(grown.Take(1), RouteeActorsOf(router));
        watcher.ExpectMsgAllOf(grown.Skip(1).Select(r => new Terminated(r, true, false)).ToArray());
    }

    [Fact]
    public void Router_with_no_routees_sends_messages_to_dead_letters()
    {
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        var router = Sys.ActorOf(new RoundRobinGroup().Props());

        router.Tell("lost", TestActor);
        router.Tell(new Broadcast("also lost"), TestActor);

        Assert.Equal(new DeadLetter("lost", TestActor, router), FishForMessage<DeadLetter>(d => d.Message is "lost"));
        Assert.Equal(new DeadLetter("also lost", TestActor, router), FishForMessage<DeadLetter>(d => d.Message is "also lost"));
    }

    [Fact]
    public async Task Group_drops_a_member_that_stops()
    {
        var (actors, paths) = Reporters("a", "b");
        var router = Sys.ActorOf(new RoundRobinGroup(paths).Props());
        RouteesOf(router); // the router has resolved both paths (before a stops) and watches them

        Sys.Stop(actors[0]);

        await AwaitRouteeCountAsync(router, 1);
        for (var i = 0; i < 3; i++) router.Tell(i, TestActor);
        Assert.All(ReceiveRouted(3), r => Assert.Equal(actors[1], r.Routee));
    }

    [Fact]
    public void Group_path_with_no_actor_yet_dead_letters_until_an_actor_appears_there()
    {
        Sys.EventStream.Subscribe<DeadLetter>(TestActor);
        var router = Sys.ActorOf(new RoundRobinGroup("/user/later").Props());
        Assert.IsType<ActorSelectionRoutee>(Assert.Single(RouteesOf(router)));

        router.Tell("early", TestActor);
        FishForMessage<DeadLetter>(d => d.Message is "early");
        var later = Sys.ActorOf(Props.Create<Reporter>(), "later");
        router.Tell("late", TestActor);

        FishForMessage<Routed>(r => r.Equals(new Routed(later, "late")));
    }

    [Fact]
    public void PoisonPill_stops_the_router_and_its_pool_routees()
    {
        var router = Sys.ActorOf(Props.Create<Reporter>().WithRouter(new RoundRobinPool(2)));
        var routees = RouteeActorsOf(router);
        Watch(router);
        foreach (var r in routees) Watch(r);

        router.Tell(PoisonPill.Instance, TestActor);

        ExpectMsgAllOf(new Terminated(router, true, false), new Terminated(routees[0], true, false), new Terminated(routees[1], true, false));
    }

    [Fact]
    public void Broadcast_of_PoisonPill_stops_every_routee_and_then_the_router()
    {
        var (actors, paths) = Reporters("a", "b");
        var router = Sys.ActorOf(new RoundRobinGroup(paths).Props());
        Watch(router);
        foreach (var a in actors) Watch(a);

        router.Tell(new Broadcast(PoisonPill.Instance), TestActor);

        ExpectMsgAllOf(new Terminated(actors[0], true, false), new Terminated(actors[1], true, false), new Terminated(router, true, false));
    }

    [Fact]
    public void AdjustPoolSize_sent_to_a_group_is_unhandled()
    {
        Sys.EventStream.Subscribe<UnhandledMessage>(TestActor);
        var (_, paths) = Reporters("a");
        var router = Sys.ActorOf(new RoundRobinGroup(paths).Props());

        router.Tell(new AdjustPoolSize(1), TestActor);

        FishForMessage<UnhandledMessage>(u => u.Message is AdjustPoolSize && u.Recipient.Equals(router));
        Assert.Single(RouteesOf(router));
    }
}

using ActorTasks.Actor;
using ActorTasks.Routing;
using Xunit;

namespace ActorTasks.Tests.Routing;

public sealed class PoolSupervisionTests : RoutingTestKit
{
    [Fact]
    public void Failed_routee_is_restarted_by_default_and_the_pool_keeps_its_routees()
    {
        var router = Sys.ActorOf(Props.Create(() => new Reporter(TestActor)).WithRouter(new RoundRobinPool(3)));
        var routees = RouteeActorsOf(router);

        router.Tell(new InvalidOperationException("boom"), TestActor); // round-robin: the first routee

        ExpectMsg(new Restarted(routees[0]));
        Assert.Equal(routees, RouteeActorsOf(router));
        for (var i = 0; i < 3; i++) router.Tell(i, TestActor);
        Assert.Equal(routees.ToHashSet(), ReceiveRouted(3).Select(r => r.Routee).ToHashSet());
    }

    [Fact]
    public async Task Routee_stopped_by_the_pool_strategy_is_removed()
    {
        var pool = new RoundRobinPool(3).WithSupervisorStrategy(SupervisorStrategy.StoppingStrategy);
        var router = Sys.ActorOf(Props.Create<Reporter>().WithRouter(pool));
        var routees = RouteeActorsOf(router);
        Watch(routees[0]);

        router.Tell(new InvalidOperationException("boom"), TestActor);

        ExpectTerminated(routees[0]);
        await AwaitRouteeCountAsync(router, 2);
        Assert.Equal(routees.Skip(1), RouteeActorsOf(router));
    }

    [Fact]
    public void Router_stops_when_its_last_routee_stops()
    {
        var router = Sys.ActorOf(Props.Create<Reporter>().WithRouter(new RoundRobinPool(2)));
        var routees = RouteeActorsOf(router);
        Watch(router);

        foreach (var r in routees) r.Tell(PoisonPill.Instance, TestActor);

        ExpectTerminated(router);
    }

    [Fact]
    public void Escalate_hands_the_routee_failure_to_the_router_parent()
    {
        var reportAndStop = new OneForOneStrategy(e =>
        {
            TestActor.Tell(e.Message, Nobody.Instance);
            return Directive.Stop;
        });
        var parent = Sys.ActorOf(Props.Create(() => new Parent(reportAndStop)));
        var pool = new RoundRobinPool(2).WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Escalate));
        parent.Tell(Props.Create<Reporter>().WithRouter(pool), TestActor);
        var router = ExpectMsg<IActorRef>();
        var routees = RouteeActorsOf(router);
        Watch(router);

        router.Tell(new InvalidOperationException("escalated"), TestActor);

        ExpectMsg("escalated");
        ExpectTerminated(router);
        Assert.All(routees, r => Assert.True(((LocalActorRef)r).IsTerminated));
    }

    [Fact]
    public void Router_restarted_by_its_parent_keeps_and_restarts_its_routees()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Parent(new OneForOneStrategy(_ => Directive.Restart))));
        var pool = new RoundRobinPool(3).WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Escalate));
        parent.Tell(Props.Create(() => new Reporter(TestActor)).WithRouter(pool), TestActor);
        var router = ExpectMsg<IActorRef>();
        var routees = RouteeActorsOf(router);

        router.Tell(new InvalidOperationException("escalated"), TestActor);

        Assert.Equal(routees.ToHashSet(), ReceiveN(3).Cast<Restarted>().Select(r => r.Routee).ToHashSet());
        Assert.Equal(routees, RouteeActorsOf(router));
        for (var i = 0; i < 3; i++) router.Tell(i, TestActor);
        Assert.Equal(routees.ToHashSet(), ReceiveRouted(3).Select(r => r.Routee).ToHashSet());
    }
}

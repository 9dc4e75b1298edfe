using System.Collections.Immutable;
using ActorTasks.Actor;
using ActorTasks.Routing;
using Xunit;

namespace ActorTasks.Tests.Routing;

public sealed class SmallestMailboxTests : RoutingTestKit
{
    [Fact]
    public void Pool_sends_to_the_idle_routee_rather_than_the_one_busy_with_queued_messages()
    {
        var router = Sys.ActorOf(Props.Create<Reporter>().WithRouter(new SmallestMailboxPool(2)));
        var routees = RouteeActorsOf(router);

        AssertRoutesAroundTheBusyRoutee(router, busy: routees[0], idle: routees[1]);
    }

    [Fact]
    public void Group_sends_to_the_idle_routee_rather_than_the_one_busy_with_queued_messages()
    {
        var (actors, paths) = Reporters("busy", "idle");
        var router = Sys.ActorOf(new SmallestMailboxGroup(paths).Props());

        AssertRoutesAroundTheBusyRoutee(router, busy: actors[0], idle: actors[1]);
    }

    [Fact]
    public void Logic_prefers_a_local_routee_over_a_selection_and_a_selection_over_a_stopped_actor()
    {
        var dead = Sys.ActorOf(Props.Create<Reporter>());
        Watch(dead);
        Sys.Stop(dead);
        ExpectTerminated(dead);
        var live = Sys.ActorOf(Props.Create<Reporter>());
        live.Tell(new Identify(null), TestActor);
        ExpectMsg<ActorIdentity>();
        Routee stopped = new ActorRefRoutee(dead), selection = new ActorSelectionRoutee(Sys.ActorSelection("/user/nobody-here")),
            local = new ActorRefRoutee(live);
        var logic = new SmallestMailboxRoutingLogic();

        Assert.Equal(local, logic.Select("m", [stopped, selection, local]));
        Assert.Equal(selection, logic.Select("m", [stopped, selection]));
        Assert.Same(NoRoutee.Instance, logic.Select("m", ImmutableArray<Routee>.Empty));
    }

    /// <summary>
    /// Blocks <paramref name="busy"/> on a gate the test holds (an awaited task: no thread is blocked) with three
    /// messages queued behind it; then every message routed one at a time goes to <paramref name="idle"/>.
    /// </summary>
    private void AssertRoutesAroundTheBusyRoutee(IActorRef router, IActorRef busy, IActorRef idle)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        busy.Tell(new Block(gate.Task), TestActor);
        ExpectMsg(new Blocked(busy));
        for (var i = 0; i < 3; i++) busy.Tell("queued", TestActor);
        idle.Tell(new Identify(null), TestActor);
        ExpectMsg<ActorIdentity>(); // the idle routee has started and has nothing queued

        for (var i = 0; i < 5; i++)
        {
            router.Tell(i, TestActor);
            ExpectMsg(new Routed(idle, i));
        }

        gate.SetResult();
        for (var i = 0; i < 3; i++) ExpectMsg(new Routed(busy, "queued"));
    }
}

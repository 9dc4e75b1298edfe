using ActorTasks.Actor;
using ActorTasks.Tests.Actors;
using Xunit;
using ActorTasks.Testing;

namespace ActorTasks.Tests.Supervision;

public sealed class SupervisionTests : TestKit
{
    private IActorRef ChildOf(SupervisorStrategy strategy, Props childProps, out IActorRef parent)
    {
        parent = Sys.ActorOf(Props.Create(() => new Supervisor(strategy)));
        parent.Tell(childProps, TestActor);
        return ExpectMsg<IActorRef>();
    }

    [Fact]
    public void Resume_keeps_the_actor_and_its_state()
    {
        var child = ChildOf(new OneForOneStrategy(_ => Directive.Resume), Props.Create<Thrower>(), out _);
        child.Tell(5, TestActor);
        child.Tell(new InvalidOperationException("oops"), TestActor);
        child.Tell("state", TestActor);
        ExpectMsg(5);
    }

    [Fact]
    public void Restart_replaces_the_instance_and_resets_its_state()
    {
        var child = ChildOf(new OneForOneStrategy(_ => Directive.Restart), Props.Create<Thrower>(), out _);
        child.Tell(5, TestActor);
        child.Tell(new InvalidOperationException("oops"), TestActor);
        child.Tell("state", TestActor);
        ExpectMsg(0);
    }

    [Fact]
    public void Restarts_child_and_keeps_mailbox_when_strategy_says_restart()
    {
        var child = ChildOf(new OneForOneStrategy(_ => Directive.Restart), Props.Create<Thrower>(), out _);
        child.Tell(new InvalidOperationException("oops"), TestActor);
        for (var i = 0; i < 100; i++) child.Tell(1, TestActor);
        child.Tell("state", TestActor);
        ExpectMsg(100);
    }

    [Fact]
    public void Stop_stops_the_failed_child()
    {
        var child = ChildOf(new OneForOneStrategy(_ => Directive.Stop), Props.Create<Thrower>(), out _);
        Watch(child);
        child.Tell(new InvalidOperationException("oops"), TestActor);
        ExpectTerminated(child);
    }

    [Fact]
    public void Escalate_fails_the_parent_which_its_own_supervisor_handles()
    {
        var grandparent = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Stop))));
        grandparent.Tell(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Escalate))), TestActor);
        var parent = ExpectMsg<IActorRef>();
        parent.Tell(Props.Create<Thrower>(), TestActor);
        var child = ExpectMsg<IActorRef>();
        Watch(parent);
        Watch(child);
        child.Tell(new InvalidOperationException("up the chain"), TestActor);
        ExpectMsgAllOf(new Terminated(parent, true, false), new Terminated(child, true, false));
    }

    [Fact]
    public void All_for_one_applies_the_directive_to_every_sibling()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(_ => Directive.Restart))));
        parent.Tell(Props.Create<Thrower>(), TestActor);
        var a = ExpectMsg<IActorRef>();
        parent.Tell(Props.Create<Thrower>(), TestActor);
        var b = ExpectMsg<IActorRef>();
        a.Tell(3, TestActor);
        b.Tell(4, TestActor);
        // Both have handled their number before the failure: a restart is a system message, and would
        // otherwise overtake a number still queued.
        a.Tell("state", TestActor);
        ExpectMsg(3);
        b.Tell("state", TestActor);
        ExpectMsg(4);
        a.Tell(new InvalidOperationException("one fails"), TestActor);
        AwaitAssert(() =>
        {
            b.Tell("state", TestActor);
            Assert.Equal(0, ExpectMsg<int>());
        });
        a.Tell("state", TestActor);
        ExpectMsg(0);
    }

    [Fact]
    public void A_child_that_exceeds_its_retry_limit_within_the_window_is_stopped()
    {
        var strategy = new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart);
        var child = ChildOf(strategy, Props.Create<Thrower>(), out _);
        Watch(child);
        child.Tell(new InvalidOperationException("1"), TestActor);
        child.Tell(new InvalidOperationException("2"), TestActor);
        child.Tell("state", TestActor);
        ExpectMsg(0); // still alive after two restarts
        child.Tell(new InvalidOperationException("3"), TestActor);
        ExpectTerminated(child);
    }

    private sealed class FailingConstructor : ReceiveActor
    {
        public FailingConstructor(IActorRef probe)
        {
            probe.Tell("constructing");
            throw new InvalidOperationException("ctor failed");
        }
    }

    [Fact]
    public void A_constructor_failure_goes_to_the_supervisor_as_an_initialization_failure()
    {
        var probe = CreateTestProbe();
        var decisions = CreateTestProbe();
        var strategy = new OneForOneStrategy(e =>
        {
            decisions.Ref.Tell(e);
            return Directive.Stop;
        });
        var child = ChildOf(strategy, Props.Create(() => new FailingConstructor(probe.Ref)), out _);
        probe.ExpectMsg("constructing");
        var cause = decisions.ExpectMsg<ActorInitializationException>();
        Assert.Contains("ctor failed", cause.Message);
        Assert.Equal(child, cause.Actor);
        Watch(child);
        ExpectTerminated(child);
    }

    private sealed class FailingPreStart : ReceiveActor
    {
        private readonly IActorRef _probe;

        public FailingPreStart(IActorRef probe)
        {
            _probe = probe;
            ReceiveAny(_ => { });
        }

        protected override void PreStart()
        {
            _probe.Tell("preStart");
            throw new InvalidOperationException("preStart failed");
        }
    }

    [Fact]
    public void A_PreStart_failure_is_supervised_and_a_restart_runs_it_again()
    {
        var probe = CreateTestProbe();
        var restarts = 0;
        var strategy = new OneForOneStrategy(_ => ++restarts < 3 ? Directive.Restart : Directive.Stop);
        var child = ChildOf(strategy, Props.Create(() => new FailingPreStart(probe.Ref)), out _);
        Watch(child);
        probe.ExpectMsg("preStart");
        probe.ExpectMsg("preStart");
        probe.ExpectMsg("preStart");
        ExpectTerminated(child);
    }

    [Fact]
    public void The_default_strategy_restarts_a_failing_top_level_actor()
    {
        var actor = Sys.ActorOf(Props.Create<Thrower>());
        actor.Tell(7, TestActor);
        actor.Tell(new InvalidOperationException("boom"), TestActor);
        actor.Tell("state", TestActor);
        ExpectMsg(0);
    }

    [Fact]
    public void Supervisor_strategy_from_props_overrides_the_actors_own()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Restart)))
            .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Resume)));
        parent.Tell(Props.Create<Thrower>(), TestActor);
        var child = ExpectMsg<IActorRef>();
        child.Tell(9, TestActor);
        child.Tell(new InvalidOperationException("x"), TestActor);
        child.Tell("state", TestActor);
        ExpectMsg(9);
    }
}

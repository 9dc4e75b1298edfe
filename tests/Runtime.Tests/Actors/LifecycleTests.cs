using ActorTasks.Actor;
using Xunit;
using ActorTasks.Testing;

namespace ActorTasks.Tests.Actors;

public sealed class LifecycleTests : TestKit
{
    [Fact]
    public void Hooks_run_in_order_through_a_restart_and_a_stop()
    {
        // The hooks report to their own probe: the child may start before its parent replies with its ref.
        var hooks = CreateTestProbe();
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.Default)));
        parent.Tell(Props.Create(() => new LifecycleActor(hooks.Ref)), TestActor);
        var child = ExpectMsg<IActorRef>();
        hooks.ExpectMsg("ctor");
        hooks.ExpectMsg("preStart");
        child.Tell("fail", TestActor);
        hooks.ExpectMsg("preRestart:asked to fail:fail");
        hooks.ExpectMsg("postStop"); // the default PreRestart calls PostStop
        hooks.ExpectMsg("ctor");
        hooks.ExpectMsg("postRestart");
        hooks.ExpectMsg("preStart"); // the default PostRestart calls PreStart
        Watch(child);
        Sys.Stop(child);
        hooks.ExpectMsg("postStop");
        ExpectTerminated(child);
    }

    [Fact]
    public void PoisonPill_stops_after_the_messages_queued_before_it()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)));
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        Watch(actor);
        actor.Tell("a", TestActor);
        actor.Tell("b", TestActor);
        actor.Tell("count", TestActor);
        actor.Tell(PoisonPill.Instance, TestActor);
        actor.Tell("count", TestActor);
        ExpectMsg(2);
        ExpectMsg("postStop");
        ExpectTerminated(actor);
    }

    [Fact]
    public void Kill_fails_the_actor_and_the_default_strategy_stops_it()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)));
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        Watch(actor);
        actor.Tell(Kill.Instance, TestActor);
        ExpectMsg("postStop");
        ExpectTerminated(actor);
    }

    [Fact]
    public async Task GracefulStop_completes_true_once_the_actor_has_stopped()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)));
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        Assert.True(await actor.GracefulStop(TimeSpan.FromSeconds(5)));
        ExpectMsg("postStop");
    }

    private sealed class Stubborn : ReceiveActor
    {
        public Stubborn() => ReceiveAsync<string>(_ => new TaskCompletionSource().Task);
    }

    [Fact]
    public async Task GracefulStop_completes_false_when_the_actor_does_not_stop_in_time()
    {
        var actor = Sys.ActorOf(Props.Create<Stubborn>());
        actor.Tell("hang forever", TestActor);
        Assert.False(await actor.GracefulStop(TimeSpan.FromMilliseconds(200)));
    }

    private sealed class Parent : ReceiveActor
    {
        public Parent(IActorRef probe)
        {
            Receive<string>(name => Context.ActorOf(Props.Create(() => new LifecycleActor(probe)), name));
            Receive<int>(_ => Sender.Tell(Context.Children.Select(c => c.Path.Name).OrderBy(n => n).ToArray()));
            Receive<(string Name, bool Probe)>(q => Sender.Tell(Context.Child(q.Name)));
        }
    }

    [Fact]
    public void Children_and_Child_by_name_reflect_the_actor_tree()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Parent(CreateTestProbe().Ref)));
        parent.Tell("x", TestActor);
        parent.Tell("y", TestActor);
        parent.Tell(0, TestActor);
        Assert.Equal(["x", "y"], ExpectMsg<string[]>());
        parent.Tell(("x", true), TestActor);
        Assert.Equal("x", ExpectMsg<IActorRef>().Path.Name);
        parent.Tell(("nope", true), TestActor);
        Assert.IsType<Nobody>(ExpectMsg<IActorRef>());
    }
}

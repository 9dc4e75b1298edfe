using ActorTasks.Actor;
using Xunit;
using ActorTasks.Testing;

namespace ActorTasks.Tests.Actors;

public sealed class DeathWatchTests : TestKit
{
    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef target, IActorRef probe)
        {
            Context.Watch(target);
            Receive<Terminated>(t => probe.Tell(("terminated", t.ActorRef)));
            Receive<string>(s => s == "unwatch", _ => Context.Unwatch(target));
        }
    }

    [Fact]
    public void Terminated_reaches_every_watcher()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        var probes = Enumerable.Range(0, 3).Select(_ => CreateTestProbe()).ToArray();
        foreach (var p in probes) Sys.ActorOf(Props.Create(() => new Watcher(target, p.Ref)));
        Sys.Stop(target);
        foreach (var p in probes) Assert.Equal(("terminated", target), p.ExpectMsg<(string, IActorRef)>());
    }

    [Fact]
    public void Watching_an_already_dead_actor_delivers_Terminated_at_once()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(target);
        Sys.Stop(target);
        ExpectTerminated(target);
        Sys.ActorOf(Props.Create(() => new Watcher(target, TestActor)));
        Assert.Equal(("terminated", target), ExpectMsg<(string, IActorRef)>());
    }

    private sealed class CarelessWatcher : ReceiveActor
    {
        public CarelessWatcher(IActorRef target)
        {
            Context.Watch(target);
            Receive<string>(_ => { });
        }
    }

    [Fact]
    public void An_unhandled_Terminated_fails_the_watcher_with_a_DeathPactException()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        var decisions = CreateTestProbe();
        var strategy = new OneForOneStrategy(e =>
        {
            decisions.Ref.Tell(e);
            return Directive.Stop;
        });
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(strategy)));
        parent.Tell(Props.Create(() => new CarelessWatcher(target)), TestActor);
        var watcher = ExpectMsg<IActorRef>();
        Watch(watcher);
        Sys.Stop(target);
        var pact = decisions.ExpectMsg<DeathPactException>();
        Assert.Equal(target, pact.DeadActor);
        ExpectTerminated(watcher);
    }

    [Fact]
    public void After_unwatch_no_Terminated_arrives()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(target, TestActor)));
        watcher.Tell("unwatch", TestActor);
        // Once the watcher answers Identify, the unwatch sent before it (same sender, same receiver) was handled.
        watcher.Tell(new Identify(1), TestActor);
        ExpectMsg<ActorIdentity>();
        Watch(target);
        Sys.Stop(target);
        ExpectTerminated(target);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Stopping_a_parent_stops_its_children_first_and_notifies_their_watchers()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.Default)));
        parent.Tell(Props.Create<EchoActor>(), TestActor);
        var child = ExpectMsg<IActorRef>();
        var childWatcher = CreateTestProbe();
        childWatcher.Watch(child);
        Watch(parent);
        Sys.Stop(parent);
        childWatcher.ExpectTerminated(child);
        ExpectTerminated(parent);
    }
}

using ActorTasks.Actor;
using ActorTasks.Event;
using Xunit;
using ActorTasks.Testing;

namespace ActorTasks.Tests.Actors;

public sealed class BecomeAndStashTests : TestKit
{
    private sealed class Switch : ReceiveActor
    {
        public Switch()
        {
            Off();
        }

        private void Off()
        {
            Receive<string>(s => s == "on", _ => BecomeStacked(On));
            Receive<string>(s => Sender.Tell("off:" + s));
        }

        private void On()
        {
            Receive<string>(s => s == "off", _ => UnbecomeStacked());
            Receive<string>(s => s == "swap", _ => Become(Swapped));
            Receive<string>(s => Sender.Tell("on:" + s));
        }

        private void Swapped() => Receive<string>(s => Sender.Tell("swapped:" + s));
    }

    [Fact]
    public void BecomeStacked_and_UnbecomeStacked_switch_behaviors()
    {
        var sw = Sys.ActorOf(Props.Create<Switch>());
        sw.Tell("x", TestActor);
        ExpectMsg("off:x");
        sw.Tell("on", TestActor);
        sw.Tell("y", TestActor);
        ExpectMsg("on:y");
        sw.Tell("off", TestActor);
        sw.Tell("z", TestActor);
        ExpectMsg("off:z");
        sw.Tell("on", TestActor);
        sw.Tell("swap", TestActor);
        sw.Tell("w", TestActor);
        ExpectMsg("swapped:w");
    }

    private sealed class Untyped : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is int i) Sender.Tell(i + 1);
            else Unhandled(message);
        }
    }

    [Fact]
    public void Unhandled_messages_are_published_on_the_event_stream()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = Sys.ActorOf(Props.Create<Untyped>());
        actor.Tell(1, TestActor);
        ExpectMsg(2);
        actor.Tell("what?", TestActor);
        var unhandled = ExpectMsg<UnhandledMessage>();
        Assert.Equal("what?", unhandled.Message);
        Assert.Equal(actor, unhandled.Recipient);
    }

    private sealed class Door : ReceiveActor, IWithStash
    {
        public IStash Stash { get; set; } = null!;

        public Door()
        {
            Receive<string>(s => s == "open", _ =>
            {
                Become(() => Receive<string>(s => Sender.Tell("in:" + s)));
                Stash.UnstashAll();
            });
            Receive<string>(_ => Stash.Stash());
        }
    }

    [Fact]
    public void Stashed_messages_come_back_in_order_in_front_of_new_ones()
    {
        var door = Sys.ActorOf(Props.Create<Door>());
        door.Tell("a", TestActor);
        door.Tell("b", TestActor);
        door.Tell("open", TestActor);
        door.Tell("c", TestActor);
        ExpectMsg("in:a");
        ExpectMsg("in:b");
        ExpectMsg("in:c");
    }

    private sealed class OneAtATime : ReceiveActor, IWithStash
    {
        public IStash Stash { get; set; } = null!;

        public OneAtATime()
        {
            Receive<int>(i => Stash.Stash());
            Receive<string>(s => s == "one", _ => Stash.Unstash());
            Receive<string>(s => Sender.Tell(Stash.Count));
            Receive<(int, bool)>(_ => { });
        }
    }

    [Fact]
    public void Unstash_returns_only_the_oldest_message()
    {
        var actor = Sys.ActorOf(Props.Create<OneAtATime>());
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        actor.Tell("count", TestActor);
        ExpectMsg(2);
        actor.Tell("one", TestActor); // 1 comes back and is stashed again, at the end
        actor.Tell("count", TestActor);
        ExpectMsg(2);
    }
}

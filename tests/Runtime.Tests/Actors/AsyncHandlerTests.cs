using ActorTasks.Actor;
using Xunit;
using ActorTasks.Testing;

namespace ActorTasks.Tests.Actors;

public sealed class AsyncHandlerTests : TestKit
{
    /// <summary>Records entry and exit of each message around an await the test controls.</summary>
    private sealed class Gate : ReceiveActor
    {
        private bool _inside;

        public Gate(IActorRef probe, TaskCompletionSource release)
        {
            ReceiveAsync<string>(async s =>
            {
                if (_inside) probe.Tell("overlap!");
                _inside = true;
                probe.Tell("enter:" + s);
                if (s == "first") await release.Task;
                else await Task.Yield();
                probe.Tell("exit:" + s + ":" + Sender.Path.Name);
                _inside = false;
            });
        }
    }

    [Fact]
    public void One_message_at_a_time_also_across_await()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = Sys.ActorOf(Props.Create(() => new Gate(TestActor, release)));
        var sender = CreateTestProbe("sender");
        gate.Tell("first", sender.Ref);
        gate.Tell("second", sender.Ref);
        ExpectMsg("enter:first");
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        release.SetResult();
        ExpectMsg("exit:first:sender");
        ExpectMsg("enter:second");
        ExpectMsg("exit:second:sender");
    }

    private sealed class AsyncThrower : ReceiveActor
    {
        public AsyncThrower(IActorRef probe)
        {
            probe.Tell("started");
            ReceiveAsync<string>(async s =>
            {
                await Task.Yield();
                throw new InvalidOperationException(s);
            });
        }
    }

    [Fact]
    public void An_async_handler_exception_is_a_supervised_failure()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Restart))));
        var starts = CreateTestProbe();
        parent.Tell(Props.Create(() => new AsyncThrower(starts.Ref)), TestActor);
        var child = ExpectMsg<IActorRef>();
        starts.ExpectMsg("started");
        child.Tell("after await", TestActor);
        starts.ExpectMsg("started"); // restarted: the constructor ran again
    }

    private sealed class SelfTeller : ReceiveActor
    {
        public SelfTeller()
        {
            ReceiveAsync<int>(async n =>
            {
                await Task.Delay(1);
                Sender.Tell(n * 2);
            });
        }
    }

    [Fact]
    public void Sender_is_still_the_original_sender_after_await()
    {
        var actor = Sys.ActorOf(Props.Create<SelfTeller>());
        for (var i = 0; i < 20; i++) actor.Tell(i, TestActor);
        for (var i = 0; i < 20; i++) ExpectMsg(i * 2);
    }
}

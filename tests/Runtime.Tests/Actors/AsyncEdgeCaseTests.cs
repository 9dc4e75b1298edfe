using ActorTasks.Actor;
using ActorTasks.Testing;
using Xunit;

namespace ActorTasks.Tests.Actors;

public sealed class AsyncEdgeCaseTests : TestKit
{
    private sealed class AskingActor : ReceiveActor
    {
        public AskingActor(IActorRef doubler)
        {
            ReceiveAsync<int>(async n =>
            {
                var doubled = await doubler.Ask<int>(n, TimeSpan.FromSeconds(5));
                // Back inside the actor: Sender and Self are this message's.
                Sender.Tell((doubled, Self.Path.Name));
            });
        }
    }

    private sealed class Doubler : ReceiveActor
    {
        public Doubler() => Receive<int>(n => Sender.Tell(n * 2));
    }

    [Fact]
    public void An_Ask_awaited_inside_ReceiveAsync_resumes_inside_the_actor_with_the_original_sender()
    {
        var doubler = Sys.ActorOf(Props.Create<Doubler>());
        var asker = Sys.ActorOf(Props.Create(() => new AskingActor(doubler)), "asker");
        for (var i = 1; i <= 50; i++) asker.Tell(i);
        for (var i = 1; i <= 50; i++) ExpectMsg((i * 2, "asker"));
    }

    private sealed class Awaiter : ReceiveActor
    {
        public Awaiter(Task gate, IActorRef probe)
        {
            ReceiveAsync<string>(async s =>
            {
                probe.Tell("awaiting " + s);
                await gate;
                probe.Tell("resumed " + s); // must never happen after a stop or restart
            });
            Receive<int>(i => probe.Tell("number " + i));
        }
    }

    [Fact]
    public void Stopping_an_actor_that_is_awaiting_stops_it_and_its_continuation_never_runs()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new Awaiter(gate.Task, TestActor)));
        actor.Tell("a");
        ExpectMsg("awaiting a");
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        gate.SetResult();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_restart_during_an_await_drops_the_old_continuation_and_serves_new_messages()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = CreateTestProbe();
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(_ => Directive.Restart))));
        parent.Tell(Props.Create(() => new Awaiter(gate.Task, probe.Ref)), TestActor);
        var awaiting = ExpectMsg<IActorRef>();
        parent.Tell(Props.Create<Thrower>(), TestActor);
        var sibling = ExpectMsg<IActorRef>();
        awaiting.Tell("a");
        probe.ExpectMsg("awaiting a");
        sibling.Tell(new InvalidOperationException("restart everyone")); // all-for-one restarts the awaiting actor too
        awaiting.Tell(1);
        probe.ExpectMsg("number 1");   // served by the new instance while the old await is still pending
        gate.SetResult();
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void PipeTo_sends_a_result_or_a_failure_to_the_actor()
    {
        Task.FromResult(42).PipeTo(TestActor);
        ExpectMsg(42);
        Task.FromException<int>(new InvalidOperationException("nope")).PipeTo(TestActor);
        Assert.Equal("nope", ExpectMsg<Status.Failure>().Cause.Message);
        Task.FromResult(2).PipeTo(TestActor, success: n => $"got {n}");
        ExpectMsg("got 2");
        Task.CompletedTask.PipeTo(TestActor);
        ExpectMsg<Status.Success>();
    }
}

using ActorTasks.Actor;
using ActorTasks.Configuration;
using ActorTasks.Event;
using Xunit;
using ActorTasks.Testing;

namespace ActorTasks.Tests.Events;

public sealed class EventStreamTests : TestKit
{
    private abstract record Animal;
    private sealed record Dog(string Name) : Animal;
    private sealed record Cat(string Name) : Animal;

    [Fact]
    public void Subscribers_get_events_of_their_type_and_its_subtypes()
    {
        var dogs = CreateTestProbe();
        var animals = CreateTestProbe();
        Sys.EventStream.Subscribe(dogs.Ref, typeof(Dog));
        Sys.EventStream.Subscribe(animals.Ref, typeof(Animal));
        Sys.EventStream.Publish(new Dog("rex"));
        Sys.EventStream.Publish(new Cat("tom"));
        dogs.ExpectMsg(new Dog("rex"));
        dogs.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        animals.ExpectMsg(new Dog("rex"));
        animals.ExpectMsg(new Cat("tom"));
    }

    [Fact]
    public void Unsubscribed_actors_get_nothing_more()
    {
        Assert.True(Sys.EventStream.Subscribe(TestActor, typeof(Dog)));
        Assert.False(Sys.EventStream.Subscribe(TestActor, typeof(Dog)));
        Assert.True(Sys.EventStream.Unsubscribe(TestActor, typeof(Dog)));
        Sys.EventStream.Publish(new Dog("rex"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_stopped_subscriber_is_dropped_instead_of_making_dead_letters()
    {
        var probe = CreateTestProbe();
        var subscriber = Sys.ActorOf(Props.Create(() => new Relay(probe.Ref)));
        Sys.EventStream.Subscribe(subscriber, typeof(Cat));
        Watch(subscriber);
        Sys.Stop(subscriber);
        ExpectTerminated(subscriber);
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        Sys.EventStream.Publish(new Cat("gone"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    private sealed class Relay : ReceiveActor
    {
        public Relay(IActorRef target) => ReceiveAny(m => target.Tell(m));
    }
}

public sealed class BoundedMailboxTests : TestKit
{
    private sealed class Blocked : ReceiveActor
    {
        public Blocked(TaskCompletionSource gate) => ReceiveAsync<int>(async _ => await gate.Task);
    }

    [Fact]
    public void Overflow_goes_to_dead_letters_and_the_sender_never_blocks()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new Blocked(gate)).WithMailboxCapacity(3));
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        actor.Tell(0, TestActor);           // taken by the handler, which waits on the gate
        AwaitCondition(() => ((LocalActorRef)actor).Cell.Mailbox.NumberOfMessages == 0);
        for (var i = 1; i <= 5; i++) actor.Tell(i, TestActor); // 3 fit, 2 overflow
        Assert.Equal(4, ExpectMsg<DeadLetter>().Message);
        Assert.Equal(5, ExpectMsg<DeadLetter>().Message);
        gate.SetResult();
    }

    [Fact]
    public async Task A_system_wide_capacity_comes_from_the_settings()
    {
        var system = ActorSystem.Create("bounded", RuntimeSettings.Default with { MailboxCapacity = 2 });
        var actor = system.ActorOf(Props.Create(() => new Blocked(new TaskCompletionSource())));
        Assert.IsType<ActorTasks.Dispatch.BoundedMessageQueue>(((LocalActorRef)actor).Cell.Mailbox.Queue);
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
    }
}

public sealed class DeadLetterLoggingTests : TestKit
{
    [Fact]
    public void A_dead_letter_sent_right_after_the_system_starts_is_logged()
    {
        EventFilter.Info(message: "was not delivered").Expect(() => Sys.DeadLetters.Tell("lost at once", TestActor));
    }

    [Fact]
    public void Dead_letter_logging_is_rate_limited_per_interval()
    {
        // The default allows 10 lines per 10 s: 25 dead letters in a burst log exactly 10.
        EventFilter.Info(message: "was not delivered", occurrences: 10).Expect(() =>
        {
            for (var i = 0; i < 25; i++) Sys.DeadLetters.Tell(i, TestActor);
        });
    }
}

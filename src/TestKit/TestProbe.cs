using ActorTasks.Actor;

namespace ActorTasks.Testing;

/// <summary>
/// An extra test actor with its own queue and the full Expect API: hand <see cref="Ref"/> to the code under test, then
/// expect what it receives. Create one with <c>CreateTestProbe()</c>.
/// </summary>
public sealed class TestProbe : TestKitBase
{
    internal TestProbe(ActorSystem system, TestKitSettings settings, string name) => Attach(system, settings, name);

    /// <summary>The probe's actor ref.</summary>
    public IActorRef Ref => TestActor;

    /// <summary>The sender of the last message this probe took (same as <see cref="TestKitBase.LastSender"/>).</summary>
    public IActorRef Sender => LastSender;

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with this probe as the sender.</summary>
    public void Send(IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, Ref);
    }

    /// <summary>Sends the last message taken to <paramref name="target"/>, keeping its original sender.</summary>
    public void Forward(IActorRef target) =>
        Forward(target, LastMessage ?? throw new InvalidOperationException($"{this} has not received a message to forward"));

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with the last message's sender as the sender.</summary>
    public void Forward(IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, LastSender);
    }

    /// <summary>Answers the sender of the last message taken, with this probe as the sender.</summary>
    public void Reply(object message)
    {
        if (LastSender.IsNobody())
            throw new InvalidOperationException($"{this} cannot reply: the last message it took had no sender (or it took none yet)");
        LastSender.Tell(message, Ref);
    }

    public override string ToString() => $"TestProbe({Ref.Path})";
}

using ActorTasks.Actor;
using ActorTasks.Configuration;
using ActorTasks.Dispatch;

namespace ActorTasks.Event;

/// <summary>A message that could not be delivered (its recipient had stopped, or its mailbox was full).</summary>
public sealed record DeadLetter(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>A message an actor did not handle.</summary>
public sealed record UnhandledMessage(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>
/// Where undeliverable messages go. Each is published as <see cref="DeadLetter"/>; an Ask whose message could not
/// be delivered fails at once instead of waiting for its timeout, and an <see cref="Identify"/> gets an empty answer.
/// </summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : ActorRefBase
{
    public override ActorPath Path { get; } = path;

    public override bool IsTerminated => false;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is DeadLetter d) Deliver(d.Message, d.Sender, d.Recipient);
        else Deliver(message, sender ?? Nobody.Instance, this);
    }

    internal void Deliver(object message, IActorRef sender, IActorRef recipient)
    {
        switch (message)
        {
            case Identify identify:
                sender.Tell(new ActorIdentity(identify.MessageId, null), this);
                return;
            case Terminated or DeadLetter:
                return; // notifications about the dead are not worth a dead letter of their own
        }
        if (sender is FutureActorRef future)
        {
            future.Fail(new AskTerminatedException(
                $"the ask of {message.GetType().Name} could not be delivered: {recipient.Path} is terminated"));
        }
        system.EventStream.Publish(new DeadLetter(message, sender, recipient));
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch w && w.Watcher is IInternalActorRef watcher)
            watcher.SendSystemMessage(new DeathWatchNotification(this, false, false));
    }
}

/// <summary>Logs dead letters and unhandled messages, at most N lines per interval, then a count of those suppressed.</summary>
internal sealed class DeadLetterListener : ReceiveActor
{
    private readonly RuntimeSettings _settings;
    private long _windowStart;
    private int _loggedInWindow;
    private int _suppressed;
    private long _total;

    public DeadLetterListener()
    {
        _settings = Context.System.Settings;
        Receive<DeadLetter>(d =>
        {
            _total++;
            if (_settings.LogDeadLetters && Allow())
                Context.GetLogger().Information(
                    "Message {MessageType} from {Sender} to {Recipient} was not delivered ({Total} dead letters so far)",
                    d.Message.GetType().Name, d.Sender.Path, d.Recipient.Path, _total);
        });
        Receive<UnhandledMessage>(u =>
        {
            if (_settings.LogUnhandled && Allow())
                Context.GetLogger().Debug("Message {MessageType} from {Sender} to {Recipient} was unhandled",
                    u.Message.GetType().Name, u.Sender.Path, u.Recipient.Path);
        });
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private bool Allow()
    {
        var now = Environment.TickCount64;
        if (now - _windowStart >= (long)_settings.DeadLetterLogInterval.TotalMilliseconds)
        {
            if (_suppressed > 0)
                Context.GetLogger().Information("{Suppressed} dead-letter/unhandled log lines were suppressed in the last {Interval}",
                    _suppressed, _settings.DeadLetterLogInterval);
            _windowStart = now;
            _loggedInWindow = 0;
            _suppressed = 0;
        }
        if (_loggedInWindow < _settings.DeadLetterLogMaxPerInterval)
        {
            _loggedInWindow++;
            return true;
        }
        _suppressed++;
        return false;
    }
}

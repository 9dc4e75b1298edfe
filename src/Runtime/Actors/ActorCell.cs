using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using ActorTasks.Dispatch;
using ActorTasks.Event;
using Serilog;

namespace ActorTasks.Actor;

/// <summary>
/// The runtime side of one actor: its mailbox, current instance, behavior stack, children, watchers and
/// supervision state. All of its mutable state is touched only by the mailbox run that owns it (one thread
/// at a time); the few members other threads call (<see cref="SendMessage"/>, <see cref="SendSystemMessage"/>,
/// child creation) say so.
/// </summary>
public sealed partial class ActorCell : IActorContext
{
    [ThreadStatic] private static ActorCell? t_current;

    private readonly ActorSystem _system;
    private readonly Props _props;
    private readonly IInternalActorRef _parent;
    private readonly Mailbox _mailbox;
    private readonly LocalActorRef _self;

    private ActorBase? _actor;
    private Envelope _current;
    // Behaviors pushed by Become; empty means the actor's own Receive (no delegate allocated for it).
    private List<Receive>? _behaviors;
    private ILogger? _log;

    internal ActorCell(ActorSystem system, Props props, ActorPath path, IInternalActorRef parent)
    {
        _system = system;
        _props = props;
        _parent = parent;
        _mailbox = new Mailbox(props.CreateQueue(system.Settings.MailboxCapacity), system.Settings.Throughput);
        _mailbox.SetCell(this);
        _self = new LocalActorRef(this, path);
    }

    /// <summary>The cell whose message is being handled on this thread, if any.</summary>
    internal static ActorCell? Current => t_current;

    internal static void SetCurrent(ActorCell? cell) => t_current = cell;

    public IActorRef Self => _self;

    internal LocalActorRef SelfRef => _self;

    public IActorRef Sender => _current.Sender ?? Nobody.Instance;

    internal object? CurrentMessage => _current.Message;

    public IActorRef Parent => _parent;

    public Props Props => _props;

    public ActorSystem System => _system;

    internal Mailbox Mailbox => _mailbox;

    internal ActorBase? Actor => _actor;

    internal bool IsTerminated => Volatile.Read(ref _terminated);

    public ILogger GetLogger() => _log ??= _system.Log.ForContext("ActorPath", _self.Path.ToString());

    /// <summary>Queues the Create message that builds the first instance.</summary>
    internal void Start() => SendSystemMessage(new Create());

    // ---- sending (any thread) ----

    internal void SendMessage(in Envelope envelope)
    {
        if (!_mailbox.Post(envelope))
            _system.DeadLetterRef.Deliver(envelope.Message, envelope.Sender, _self);
    }

    internal void SendSystemMessage(SystemMessage message) => _mailbox.PostSystem(message);

    // ---- called by the mailbox run ----

    internal bool CanProcessUserMessages =>
        _actor is not null && _suspendCount == 0 && !_awaitingAsync && !_terminating && _pendingRecreate is null;

    internal bool HasUserMessages => _unstashed is { Count: > 0 } || _mailbox.Queue.HasMessages;

    internal bool TryDequeueUser(out Envelope envelope)
    {
        if (_unstashed is { Count: > 0 } unstashed)
        {
            envelope = unstashed[^1];
            unstashed.RemoveAt(unstashed.Count - 1);
            return true;
        }
        return _mailbox.TryDequeue(out envelope);
    }

    internal void ProcessSystemMessages()
    {
        while (_mailbox.TakeSystemMessagesList() is { } list)
        {
            for (var m = list; m is not null;)
            {
                var next = m.Next;
                m.Next = null;
                if (_terminated) HandleSystemMessageAfterDeath(m);
                else ProcessSystemMessage(m);
                m = next;
            }
        }
    }

    private void ProcessSystemMessage(SystemMessage message)
    {
        try
        {
            switch (message)
            {
                case Create: CreateActor(); break;
                case Terminate: BeginTerminate(); break;
                case Recreate r: BeginRecreate(r.Cause); break;
                case Resume r: HandleResume(r); break;
                case Suspend: HandleSuspend(); break;
                case Failed f: HandleChildFailed(f); break;
                case Watch w: HandleWatch(w); break;
                case Unwatch u: HandleUnwatch(u); break;
                case DeathWatchNotification d: HandleDeathWatchNotification(d); break;
                case AsyncContinuation c: RunContinuation(c); break;
                case AsyncHandlerCompleted c: HandleAsyncCompleted(c); break;
            }
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
    }

    /// <summary>Handles one user message: runtime messages first, then the actor's current behavior.</summary>
    internal void Invoke(Envelope envelope)
    {
        _current = envelope;
        var message = envelope.Message;
        try
        {
            if (message is IAutoReceivedMessage) AutoReceive(message);
            else ReceiveMessage(message);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
        if (_receiveTimeout is not null && message is not INotInfluenceReceiveTimeout)
            _lastActivity = Stopwatch.GetTimestamp();
    }

    private void AutoReceive(object message)
    {
        switch (message)
        {
            case PoisonPill:
                _self.SendSystemMessage(new Terminate());
                break;
            case Kill:
                throw new ActorKilledException($"{_self.Path} was killed by a Kill message");
            case Identify identify:
                Sender.Tell(new ActorIdentity(identify.MessageId, _self), _self);
                break;
            case Terminated terminated:
                // Dropped when the watcher unwatched after the notification was queued.
                if (_terminatedQueued is not null && _terminatedQueued.Remove(terminated.ActorRef))
                    ReceiveMessage(terminated);
                break;
            case TimerScheduler.TimerMessage timer:
                if (_timers is not null && _timers.TryTakeForDelivery(timer))
                {
                    _current = new Envelope(timer.Message, _self);
                    ReceiveMessage(timer.Message);
                }
                break;
            case ReceiveTimeoutTick tick:
                HandleReceiveTimeoutTick(tick);
                break;
            default:
                ReceiveMessage(message);
                break;
        }
    }

    private void ReceiveMessage(object message)
    {
        var actor = _actor!;
        var handled = _behaviors is { Count: > 0 } behaviors ? behaviors[^1](message) : actor.InvokeReceive(message);
        if (!handled) actor.InvokeUnhandled(message);
    }

    internal void PublishUnhandled(object message)
    {
        _system.EventStream.Publish(new UnhandledMessage(message, Sender, _self));
    }

    // ---- creation ----

    private void CreateActor()
    {
        try
        {
            _actor = NewActorInstance();
            _actor.InvokePreStart();
        }
        catch (Exception e)
        {
            throw InitializationFailure(e, "creation");
        }
    }

    private ActorBase NewActorInstance()
    {
        _behaviors?.Clear();
        _actor = null;
        ActorBase actor;
        try
        {
            actor = _props.NewActor();
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        // A constructor may already have called Become; that behavior stays on top.
        return actor;
    }

    private ActorInitializationException InitializationFailure(Exception e, string phase) =>
        e as ActorInitializationException is { Actor: not null } already
            ? already
            : new ActorInitializationException(_self, $"{_self.Path}: exception during {phase}: {e.Message}", e);

    // ---- behavior ----

    public void Become(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        var behaviors = _behaviors ??= new List<Receive>(2);
        if (behaviors.Count > 0) behaviors.RemoveAt(behaviors.Count - 1);
        behaviors.Add(receive);
    }

    public void BecomeStacked(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        (_behaviors ??= new List<Receive>(2)).Add(receive);
    }

    /// <summary>Pops the top behavior; with none left the actor's own Receive applies again.</summary>
    public void UnbecomeStacked()
    {
        if (_behaviors is { Count: > 0 } behaviors) behaviors.RemoveAt(behaviors.Count - 1);
    }

    public ActorSelection ActorSelection(string path) => new(_system, _self, path);

    public override string ToString() => $"ActorCell({_self.Path})";
}

/// <summary>Messages the cell handles before the actor sees them (or instead of it).</summary>
internal interface IAutoReceivedMessage;

using Serilog;

namespace ActorTasks.Actor;

/// <summary>
/// Base of every actor. Create actors through <see cref="Props"/> and <c>ActorOf</c>, never with <c>new</c>:
/// the constructor binds the instance to the cell that is creating it.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    protected ActorBase()
    {
        _cell = ActorCell.Current
            ?? throw new ActorInitializationException(null,
                $"{GetType().Name} was created with 'new'; create actors with Props and ActorOf");
        if (this is IWithTimers withTimers) withTimers.Timers = _cell.TimerScheduler;
        if (this is IWithStash withStash) withStash.Stash = _cell.StashFacade;
    }

    /// <summary>This actor's context: self, sender, children, watch, become, and so on.</summary>
    protected static IActorContext Context =>
        ActorCell.Current ?? throw new InvalidOperationException("Context is only available inside an actor");

    protected IActorRef Self => _cell.Self;

    protected IActorRef Sender => _cell.Sender;

    internal ActorCell Cell => _cell;

    // The runtime calls the protected hooks through these, so that actors in other assemblies
    // override them as plain `protected` (an assembly that sees our internals would otherwise need
    // `protected internal`).
    internal bool InvokeReceive(object message) => Receive(message);
    internal void InvokeUnhandled(object message) => Unhandled(message);
    internal SupervisorStrategy InvokeSupervisorStrategy() => SupervisorStrategy();
    internal void InvokePreStart() => PreStart();
    internal void InvokePostStop() => PostStop();
    internal void InvokePreRestart(Exception reason, object? message) => PreRestart(reason, message);
    internal void InvokePostRestart(Exception reason) => PostRestart(reason);

    /// <summary>Handles one message; false means unhandled.</summary>
    protected abstract bool Receive(object message);

    /// <summary>Called when a message was not handled. Publishes it on the event stream; an unhandled <see cref="Terminated"/> throws <see cref="DeathPactException"/>.</summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated t) throw new DeathPactException(t.ActorRef);
        _cell.PublishUnhandled(message);
    }

    /// <summary>How this actor supervises its children; the default restarts on failure.</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => Actor.SupervisorStrategy.Default;

    /// <summary>Called after construction, before the first message.</summary>
    protected virtual void PreStart() { }

    /// <summary>Called once the actor has stopped (after its children).</summary>
    protected virtual void PostStop() { }

    /// <summary>Called on the failed instance before a restart; the default stops all children and calls <see cref="PostStop"/>.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children) Context.Stop(child);
        PostStop();
    }

    /// <summary>Called on the fresh instance after a restart; the default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>Replaces the current behavior.</summary>
    protected void Become(Receive receive) => Context.Become(receive);

    protected void BecomeStacked(Receive receive) => Context.BecomeStacked(receive);

    protected void UnbecomeStacked() => Context.UnbecomeStacked();

    protected void SetReceiveTimeout(TimeSpan? timeout) => Context.SetReceiveTimeout(timeout);

    /// <summary>Runs an async step inside this actor: no other message is handled until it completes.</summary>
    protected void RunTask(Func<Task> asyncStep) => _cell.RunAsync(asyncStep);
}

/// <summary>An actor with one <c>OnReceive</c> method; call <c>Unhandled</c> for messages it does not handle.</summary>
public abstract class UntypedActor : ActorBase
{
    private bool _unhandled;

    protected sealed override bool Receive(object message)
    {
        _unhandled = false;
        OnReceive(message);
        return !_unhandled;
    }

    protected abstract void OnReceive(object message);

    protected override void Unhandled(object message)
    {
        // Called from OnReceive: mark, and let the cell report it once after OnReceive returns.
        if (!_unhandled && ReferenceEquals(message, Cell.CurrentMessage))
        {
            _unhandled = true;
            return;
        }
        base.Unhandled(message);
    }
}

/// <summary>Gives an actor per-actor timers (<see cref="ITimerScheduler"/>), cancelled when it stops or restarts.</summary>
public interface IWithTimers
{
    ITimerScheduler Timers { get; set; }
}

/// <summary>Gives an actor a stash for messages it cannot handle yet.</summary>
public interface IWithStash
{
    IStash Stash { get; set; }
}

/// <summary>Holds messages for later; <c>UnstashAll</c> puts them back in front of the mailbox, in order.</summary>
public interface IStash
{
    /// <summary>Stashes the message being handled.</summary>
    void Stash();

    /// <summary>Puts the oldest stashed message back in front of the mailbox.</summary>
    void Unstash();

    /// <summary>Puts every stashed message back in front of the mailbox, oldest first.</summary>
    void UnstashAll();

    int Count { get; }
}

/// <summary>Per-actor timers keyed by any value; starting a key again replaces its timer.</summary>
public interface ITimerScheduler
{
    void StartSingleTimer(object key, object message, TimeSpan delay);

    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    bool IsTimerActive(object key);

    /// <summary>Cancels the timer; a message it already sent is not delivered.</summary>
    void Cancel(object key);

    void CancelAll();
}

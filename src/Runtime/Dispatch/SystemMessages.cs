using ActorTasks.Actor;

namespace ActorTasks.Dispatch;

/// <summary>
/// Messages the runtime sends to a cell. They are nodes of an intrusive list (the <see cref="Next"/> link),
/// so queueing one allocates nothing beyond the message itself.
/// </summary>
public abstract class SystemMessage
{
    internal SystemMessage? Next;
}

internal sealed class Create : SystemMessage { }

internal sealed class Terminate : SystemMessage { }

internal sealed class Recreate(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

internal sealed class Resume(Exception? cause) : SystemMessage
{
    public Exception? Cause { get; } = cause;
}

internal sealed class Suspend : SystemMessage { }

/// <summary>A child tells its parent it failed; the parent's strategy decides.</summary>
internal sealed class Failed(IActorRef child, Exception cause, long uid) : SystemMessage
{
    public IActorRef Child { get; } = child;
    public Exception Cause { get; } = cause;
    public long Uid { get; } = uid;
}

internal sealed class Watch(IActorRef watchee, IActorRef watcher) : SystemMessage
{
    public IActorRef Watchee { get; } = watchee;
    public IActorRef Watcher { get; } = watcher;
}

internal sealed class Unwatch(IActorRef watchee, IActorRef watcher) : SystemMessage
{
    public IActorRef Watchee { get; } = watchee;
    public IActorRef Watcher { get; } = watcher;
}

/// <summary>Sent by a dying actor to each watcher (and to its parent).</summary>
internal sealed class DeathWatchNotification(IActorRef actor, bool existenceConfirmed, bool addressTerminated) : SystemMessage
{
    public IActorRef Actor { get; } = actor;
    public bool ExistenceConfirmed { get; } = existenceConfirmed;
    public bool AddressTerminated { get; } = addressTerminated;
}

/// <summary>Runs a continuation of an async handler inside the actor, one at a time with its messages.</summary>
internal sealed class AsyncContinuation(SendOrPostCallback callback, object? state, int generation) : SystemMessage
{
    public SendOrPostCallback Callback { get; } = callback;
    public object? State { get; } = state;
    public int Generation { get; } = generation;
}

/// <summary>The task an async handler returned has finished; user messages may flow again.</summary>
internal sealed class AsyncHandlerCompleted(ActorCell cell, Task task, int generation) : SystemMessage
{
    public ActorCell Cell { get; } = cell;
    public Task Task { get; } = task;
    public int Generation { get; } = generation;
}

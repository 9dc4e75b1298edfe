using ActorTasks.Dispatch;

namespace ActorTasks.Actor;

/// <summary>
/// The reply address of one Ask (or one GracefulStop): not an actor, just a ref whose first message completes
/// a task. No mailbox, no cell, no registration: a local ask costs this object and its task.
/// </summary>
internal sealed class FutureActorRef(ActorSystem? system) : ActorRefBase
{
    private readonly TaskCompletionSource<object> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ActorPath? _path;

    public Task<object> Task => _reply.Task;

    public override ActorPath Path => _path ??= system is null
        ? Nobody.Instance.Path
        : system.NewTempPath();

    public override bool IsTerminated => _reply.Task.IsCompleted;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        _reply.TrySetResult(message);
    }

    public void Fail(Exception cause) => _reply.TrySetException(cause);

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is DeathWatchNotification d)
            _reply.TrySetResult(new Terminated(d.Actor, d.ExistenceConfirmed, d.AddressTerminated));
    }
}

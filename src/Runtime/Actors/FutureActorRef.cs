using ActorTasks.Dispatch;

namespace ActorTasks.Actor;

/// <summary>
/// The reply address of one Ask (or one GracefulStop): not an actor, just a ref whose first message completes
/// a task. No mailbox, no cell, no registration: a local ask costs this object, its reply and its task.
/// </summary>
internal sealed class FutureActorRef(ActorSystem? system) : ActorRefBase
{
    private readonly AskReply _reply = new();
    private ActorPath? _path;

    /// <summary>Completes with the first message (or failure), on a pool thread outside any actor's turn.</summary>
    public Task<object> Task => _reply.Task;

    public override ActorPath Path => _path ??= system is null
        ? Nobody.Instance.Path
        : system.NewTempPath();

    public override bool IsTerminated => _reply.IsSettled;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        _reply.TrySettle(message, null);
    }

    public void Fail(Exception cause) => _reply.TrySettle(null, cause);

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is DeathWatchNotification d)
            _reply.TrySettle(new Terminated(d.Actor, d.ExistenceConfirmed, d.AddressTerminated), null);
    }
}

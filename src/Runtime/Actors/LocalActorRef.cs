using ActorTasks.Dispatch;

namespace ActorTasks.Actor;

/// <summary>A ref to an actor in this process: sending enqueues into its mailbox.</summary>
internal sealed class LocalActorRef : ActorRefBase
{
    private readonly ActorCell _cell;

    internal LocalActorRef(ActorCell cell, ActorPath path)
    {
        _cell = cell;
        Path = path;
    }

    public override ActorPath Path { get; }

    internal ActorCell Cell => _cell;

    public override bool IsTerminated => _cell.IsTerminated;

    public override void Tell(object message, IActorRef? sender)
    {
        if (message is null) throw new ArgumentNullException(nameof(message), $"a null message cannot be sent to {Path}");
        _cell.SendMessage(new Envelope(message, sender ?? Nobody.Instance));
    }

    internal override void SendSystemMessage(SystemMessage message) => _cell.SendSystemMessage(message);
}

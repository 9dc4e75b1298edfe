using ActorTasks.Actor;
using ActorTasks.Dispatch;
using ActorTasks.Remote.Transport;

namespace ActorTasks.Remote.Provider;

/// <summary>A ref to an actor on another node: <c>Tell</c> serializes the message and hands it to the transport.</summary>
internal sealed class RemoteActorRef(RemoteActorRefProvider provider, ActorPath path) : ActorRefBase, IHasSystem
{
    public override ActorPath Path { get; } = path;

    /// <summary>The path with uid as it goes on the wire, computed once.</summary>
    internal string WirePath => field ??= Path.ToStringWithUid();

    /// <summary>The transport's association with this actor's node, found on the first send (racing senders find the same one).</summary>
    internal Association? Route { get; set; }

    public override bool IsTerminated => false;

    public override bool IsLocal => false;

    public ActorSystem System => provider.System;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        provider.Send(this, message, sender ?? Nobody.Instance);
    }

    internal override void SendSystemMessage(SystemMessage message) => provider.SendSystem(this, message);
}

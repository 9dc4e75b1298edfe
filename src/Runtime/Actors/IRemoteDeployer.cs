namespace ActorTasks.Actor;

/// <summary>What an external provider implements to run children on other nodes (remote deployment).</summary>
internal interface IRemoteDeployer
{
    /// <summary>The ref the parent keeps for a child at <paramref name="path"/> that will run on <paramref name="target"/>; nothing is sent yet.</summary>
    IInternalActorRef CreateRemoteChild(Props props, ChildActorPath path, IInternalActorRef parent, Address target);

    /// <summary>Asks the target node to create the child; throws when the props cannot be sent (e.g. made from a delegate).</summary>
    void StartRemoteChild(IInternalActorRef child, Props props, IInternalActorRef parent);
}

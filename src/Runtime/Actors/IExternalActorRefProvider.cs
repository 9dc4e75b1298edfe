namespace ActorTasks.Actor;

/// <summary>
/// Plugs a transport (remoting) into a system: it gives the system the address peers reach it at, and turns
/// paths with other addresses into refs that send there. The runtime knows nothing else about it.
/// </summary>
public interface IExternalActorRefProvider
{
    /// <summary>The address other nodes use for this system, e.g. <c>actortasks://tasks@127.0.0.1:4053</c>.</summary>
    Address ExternalAddress { get; }

    /// <summary>A ref for an actor at another address, or null when the address cannot be reached through this provider.</summary>
    IActorRef? ResolveRemote(ActorPath path);
}

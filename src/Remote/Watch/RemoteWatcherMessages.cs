using ActorTasks.Actor;
using ActorTasks.Remote.Provider;

namespace ActorTasks.Remote.Watch;

// What the provider tells the remote watcher; local only, never serialized.

/// <summary>A local actor watches an actor on another node.</summary>
internal sealed record WatchRemote(IActorRef Watchee, IInternalActorRef Watcher);

/// <summary>A local actor stopped watching an actor on another node.</summary>
internal sealed record UnwatchRemote(IActorRef Watchee, IInternalActorRef Watcher);

/// <summary>A local parent deployed a child on another node: the parent must hear if that node dies.</summary>
internal sealed record TrackRemoteChild(IActorRef Child, IInternalActorRef Parent);

/// <summary>A death-watch notification arrived from another node for a local watcher (or parent).</summary>
internal sealed record InboundDeathWatchNotification(IInternalActorRef Recipient, IActorRef Actor, RemoteDeathWatchNotification Notification);

/// <summary>A node is known to be gone (e.g. it restarted with a new incarnation): its actors are all dead.</summary>
internal sealed record AddressTerminated(Address Address, string Reason);

using System.Text.Json.Serialization;
using ActorTasks.Remote.Serialization;

namespace ActorTasks.Remote.Provider;

// The runtime's system messages as they cross the wire (envelopes with the system flag). Actors are named by
// full path with uid, so the receiving node can answer about exactly the actor that was meant, even one it
// does not know (a watch of an actor that never existed is answered with a death-watch notification).

/// <summary>Watcher (on the sending node) wants to know when watchee (on the receiving node) stops.</summary>
internal sealed record RemoteWatch(string Watchee, string Watcher);

/// <summary>Watcher no longer wants to know about watchee.</summary>
internal sealed record RemoteUnwatch(string Watchee, string Watcher);

/// <summary>Actor stopped (or never existed: <see cref="ExistenceConfirmed"/> false); sent to a watcher or a parent.</summary>
internal sealed record RemoteDeathWatchNotification(string Actor, bool ExistenceConfirmed, bool AddressTerminated);

/// <summary>A remotely deployed child failed; its parent's strategy decides. Only the exception's type name and message travel.</summary>
internal sealed record RemoteFailed(string Child, long Uid, string ExceptionType, string Message);

/// <summary>What a parent tells a child on another node: suspend, resume, restart or stop.</summary>
internal sealed record RemoteSupervise(SuperviseKind Kind, string? ExceptionType, string? Message);

internal enum SuperviseKind
{
    Suspend = 1,
    Resume = 2,
    Restart = 3,
    Stop = 4,
}

/// <summary>
/// Create an actor of the type registered as <see cref="Deployable"/> at <see cref="Path"/> (a path on the receiving
/// node, with uid) as a child of <see cref="Parent"/>; each argument is a serialized payload, empty for null.
/// </summary>
internal sealed record RemoteDeploy(string Deployable, byte[][] Arguments, string Path, string Parent, int? MailboxCapacity);

/// <summary>Are you there? Sent to the remote watcher of a node this one watches actors on.</summary>
internal sealed record RemoteHeartbeat;

/// <summary>Yes, and this is my incarnation (a new uid means the node restarted).</summary>
internal sealed record RemoteHeartbeatResponse(long Uid);

[JsonSerializable(typeof(RemoteWatch))]
[JsonSerializable(typeof(RemoteUnwatch))]
[JsonSerializable(typeof(RemoteDeathWatchNotification))]
[JsonSerializable(typeof(RemoteFailed))]
[JsonSerializable(typeof(RemoteSupervise))]
[JsonSerializable(typeof(RemoteDeploy))]
[JsonSerializable(typeof(RemoteHeartbeat))]
[JsonSerializable(typeof(RemoteHeartbeatResponse))]
internal sealed partial class RemoteSystemJson : JsonSerializerContext
{
    /// <summary>Registers every wire system message under its stable manifest.</summary>
    public static void Register(SerializerRegistry registry) => registry
        .RegisterJson("actortasks.remote.watch", Default.RemoteWatch)
        .RegisterJson("actortasks.remote.unwatch", Default.RemoteUnwatch)
        .RegisterJson("actortasks.remote.death-watch-notification", Default.RemoteDeathWatchNotification)
        .RegisterJson("actortasks.remote.failed", Default.RemoteFailed)
        .RegisterJson("actortasks.remote.supervise", Default.RemoteSupervise)
        .RegisterJson("actortasks.remote.deploy", Default.RemoteDeploy)
        .RegisterJson("actortasks.remote.heartbeat", Default.RemoteHeartbeat)
        .RegisterJson("actortasks.remote.heartbeat-response", Default.RemoteHeartbeatResponse);
}

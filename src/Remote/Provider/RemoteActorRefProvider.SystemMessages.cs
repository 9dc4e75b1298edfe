using ActorTasks.Actor;
using ActorTasks.Dispatch;
using ActorTasks.Remote.Deployment;
using ActorTasks.Remote.Serialization;
using ActorTasks.Remote.Transport;
using ActorTasks.Remote.Watch;

namespace ActorTasks.Remote.Provider;

// System messages across the wire: death watch (watch, unwatch, notifications) and the supervision of children
// deployed on other nodes (failed, suspend, resume, restart, stop). They travel in envelopes with the system flag,
// on the same ordered connection as ordinary messages, so a notification never overtakes what the dead actor sent.
public sealed partial class RemoteActorRefProvider
{
    private readonly SerializationContext _context;
    private IActorRef? _watcher;
    private IActorRef? _deployments;

    private void StartSystemActors()
    {
        _watcher = System.SystemActorOf(Props.CreateBy(() => new RemoteWatcher(this, Settings, TimeProvider.System)), "remote-watcher");
        _deployments = System.SystemActorOf(Props.CreateBy(() => new RemoteDeployments(this)), "remote-deployments");
    }

    /// <summary>What the runtime sends to a remote ref's system queue: watches go to the remote watcher, the rest over the wire.</summary>
    internal void SendSystem(RemoteActorRef recipient, SystemMessage message)
    {
        switch (message)
        {
            case Dispatch.Watch w when w.Watcher is IInternalActorRef watcher:
                _watcher?.Tell(new WatchRemote(w.Watchee, watcher));
                break;
            case Unwatch u when u.Watcher is IInternalActorRef watcher:
                _watcher?.Tell(new UnwatchRemote(u.Watchee, watcher));
                break;
            case DeathWatchNotification d:
                SendSystemEnvelope(recipient, new RemoteDeathWatchNotification(PathOf(d.Actor), d.ExistenceConfirmed, d.AddressTerminated));
                break;
            case Failed f:
                SendSystemEnvelope(recipient, new RemoteFailed(PathOf(f.Child), f.Uid, ExceptionTypeName(f.Cause), f.Cause.Message));
                break;
            case Terminate:
                SendSystemEnvelope(recipient, new RemoteSupervise(SuperviseKind.Stop, null, null));
                break;
            case Suspend:
                SendSystemEnvelope(recipient, new RemoteSupervise(SuperviseKind.Suspend, null, null));
                break;
            case Resume r:
                SendSystemEnvelope(recipient, new RemoteSupervise(SuperviseKind.Resume, r.Cause is null ? null : ExceptionTypeName(r.Cause), r.Cause?.Message));
                break;
            case Recreate r:
                SendSystemEnvelope(recipient, new RemoteSupervise(SuperviseKind.Restart, ExceptionTypeName(r.Cause), r.Cause.Message));
                break;
            default:
                _log.Debug("system message {MessageType} to {Recipient} is local-only and was not sent", message.GetType().Name, recipient.Path);
                break;
        }
    }

    private static string ExceptionTypeName(Exception e) =>
        e is RemoteException remote ? remote.OriginalTypeName : e.GetType().FullName ?? e.GetType().Name;

    /// <summary>The full wire path (address and uid) of <paramref name="actor"/>.</summary>
    internal string PathOf(IActorRef actor) => ((IActorRefResolver)this).Serialize(actor);

    /// <summary>The remote watcher of <paramref name="node"/>, which answers heartbeats.</summary>
    internal IActorRef RemoteWatcherAt(Address node) =>
        new RemoteActorRef(this, new RootActorPath(node).Child("system").Child("remote-watcher"));

    /// <summary>Sends a system envelope; one that cannot be sent is logged (the failure detector covers a dead node).</summary>
    internal void SendSystemEnvelope(IActorRef recipient, object message)
    {
        var address = recipient.Path.Address;
        if (address.Host is null || address.Port is null) return;
        try
        {
            var frame = _serializer.Serialize(message, recipient, sender: null, system: true);
            if (!TrySendFrame(address.Host, address.Port.Value, frame, out var failure))
                _log.Debug("{MessageType} to {Recipient} not sent ({Failure})", message.GetType().Name, recipient.Path, failure);
        }
        catch (Exception e) when (e is RemoteSerializationException or MessageTooLargeException)
        {
            _log.Warning("{MessageType} to {Recipient} not sent: {Reason}", message.GetType().Name, recipient.Path, e.Message);
        }
    }

    /// <summary>Sends without a dead letter when the node cannot be reached (heartbeats to a node that may be dead).</summary>
    internal void SendQuietly(IActorRef recipient, object message, IActorRef sender)
    {
        var address = recipient.Path.Address;
        if (address.Host is null || address.Port is null) return;
        var frame = _serializer.Serialize(message, recipient, sender);
        TrySendFrame(address.Host, address.Port.Value, frame, out _);
    }

    // On the transport's reader loop: nothing here may block. Paths come from the network: a bad one is logged and
    // dropped; only actors deployed here by another node can be supervised (stopped, restarted) from outside.
    private void OnSystemMessage(NodeIdentity from, DeserializedEnvelope envelope)
    {
        switch (envelope.Message)
        {
            case RemoteWatch w:
                OnRemoteWatch(from, w);
                break;
            case RemoteUnwatch u:
                if (ResolveWirePath(from, u.Watchee, mustBeLocal: true) is IInternalActorRef watchee
                    && ResolveWirePath(from, u.Watcher, mustBeLocal: false) is { } unwatcher)
                    watchee.SendSystemMessage(new Unwatch(watchee, unwatcher));
                break;
            case RemoteDeathWatchNotification n:
                if (ResolveWirePath(from, envelope.Recipient, mustBeLocal: true) is IInternalActorRef recipient
                    && ResolveWirePath(from, n.Actor, mustBeLocal: false) is { } dead)
                    _watcher?.Tell(new InboundDeathWatchNotification(recipient, dead, n));
                break;
            case RemoteFailed f:
                if (ResolveWirePath(from, envelope.Recipient, mustBeLocal: true) is IInternalActorRef parent
                    && ResolveWirePath(from, f.Child, mustBeLocal: false) is { } child)
                    parent.SendSystemMessage(new Failed(child, new RemoteException(f.ExceptionType, f.Message), f.Uid));
                break;
            case RemoteSupervise s:
                OnRemoteSupervise(from, envelope.Recipient, s);
                break;
            case RemoteDeploy d:
                OnRemoteDeploy(from, d);
                break;
            default:
                _log.Warning("dropped a system message of unexpected type {MessageType} from {Peer}", envelope.Message.GetType().Name, from);
                break;
        }
    }

    private void OnRemoteWatch(NodeIdentity from, RemoteWatch w)
    {
        if (ResolveWirePath(from, w.Watcher, mustBeLocal: false) is not IInternalActorRef watcher) return;
        if (ResolveWirePath(from, w.Watchee, mustBeLocal: true) is IInternalActorRef watchee)
            watchee.SendSystemMessage(new Dispatch.Watch(watchee, watcher));
        else // no such actor (any more): the watcher hears so at once, as it would locally
            SendSystemEnvelope(watcher, new RemoteDeathWatchNotification(w.Watchee, ExistenceConfirmed: false, AddressTerminated: false));
    }

    private void OnRemoteSupervise(NodeIdentity from, string recipientPath, RemoteSupervise s)
    {
        if (ResolveWirePath(from, recipientPath, mustBeLocal: true) is not LocalActorRef child) return;
        if (child.Path.Elements is not ["remote", ..])
        {
            _log.Warning("{Peer} tried to {Directive} {Actor}, which no remote parent deployed: ignored", from, s.Kind, child.Path);
            return;
        }
        Exception Cause() => new RemoteException(s.ExceptionType ?? "unknown", s.Message ?? "");
        SystemMessage message = s.Kind switch
        {
            SuperviseKind.Suspend => new Suspend(),
            SuperviseKind.Resume => new Resume(s.ExceptionType is null ? null : Cause()),
            SuperviseKind.Restart => new Recreate(Cause()),
            SuperviseKind.Stop => new Terminate(),
            _ => throw new InvalidDataException($"unknown supervision directive {(int)s.Kind} from {from}"),
        };
        ((IInternalActorRef)child).SendSystemMessage(message);
    }

    /// <summary>Resolves a path named in a system message; logs and returns null when it is malformed or (for a local one) not ours.</summary>
    private IActorRef? ResolveWirePath(NodeIdentity from, string text, bool mustBeLocal)
    {
        if (!ActorPath.TryParse(text, out var path))
        {
            _log.Warning("dropped a system message from {Peer}: '{Path}' is not an actor path", from, TypeNames.Printable(text));
            return null;
        }
        var isLocal = System.IsLocalAddress(path.Address);
        if (mustBeLocal && !isLocal)
        {
            _log.Warning("dropped a system message from {Peer} about {Path}, which is not on this node", from, path);
            return null;
        }
        return isLocal ? ResolveLocalOrRemote(path, text) : ResolveRemote(path);
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using ActorTasks.Actor;
using ActorTasks.Remote.Deployment;
using ActorTasks.Remote.Serialization;
using ActorTasks.Remote.Serialization.Proto;
using ActorTasks.Remote.Transport;
using ActorTasks.Remote.Watch;
using Google.Protobuf;

namespace ActorTasks.Remote.Provider;

// Remote deployment. The parent's node names the child by a path on the target node,
// /remote/<parent's node>/user/<parent>/<child>, with a uid it picks, and sends the actor type's deployable name
// and its serialized constructor arguments. The target creates the child with the parent's remote ref as its
// parent, so failures and termination flow back as system messages and the parent's strategy applies.
public sealed partial class RemoteActorRefProvider : IRemoteDeployer
{
    // Children other nodes deployed here, by their path's elements ("remote/…/child"). Written when a deploy
    // arrives (transport reader) and when the child stops (the deployments actor), read when resolving inbound
    // paths: the only state of deployment shared between threads, hence concurrent.
    private readonly ConcurrentDictionary<string, LocalActorRef> _deployed = new(StringComparer.Ordinal);

    IInternalActorRef IRemoteDeployer.CreateRemoteChild(Props props, ChildActorPath path, IInternalActorRef parent, Address target)
    {
        _ = BuildDeploy(props, path, parent, target); // throws here, at ActorOf, when the props cannot be sent
        return new RemoteActorRef(this, PathOnTarget(path, target));
    }

    void IRemoteDeployer.StartRemoteChild(IInternalActorRef child, Props props, IInternalActorRef parent)
    {
        var deploy = BuildDeploy(props, (ChildActorPath)child.Path, parent, child.Path.Address);
        _watcher?.Tell(new TrackRemoteChild(child, parent));
        SendSystemEnvelope(new RemoteActorRef(this, new RootActorPath(child.Path.Address).Child("remote")), deploy);
    }

    private RemoteDeploy BuildDeploy(Props props, ActorPath childPath, IInternalActorRef parent, Address target)
    {
        var (name, encoded) = EncodeDeployable(props, target.ToString());
        var path = childPath.Address.Equals(target) ? childPath.ToStringWithUid() : PathOnTarget(childPath, target).ToStringWithUid();
        return new RemoteDeploy(name, encoded, path, PathOf(parent), props.MailboxCapacity);
    }

    /// <summary>
    /// The deployable name and encoded constructor arguments of <paramref name="props"/>, or an exception naming the fix
    /// when they cannot be sent to <paramref name="destination"/> (used at ActorOf, before anything is sent).
    /// </summary>
    internal (string Name, byte[][] Arguments) EncodeDeployable(Props props, string destination)
    {
        var type = props.ActorType.Name;
        if (props.RouterConfig is not null)
            throw new InvalidOperationException($"cannot deploy a router to {destination}: deploy its routees instead");
        var registered = _registry.TryGetDeployableName(props.ActorType, out var name);
        var arguments = props.Arguments;
        if (registered && arguments is not null) return (name!, arguments.Select(EncodeArgument).ToArray());
        var fixes = new List<string>(2);
        if (!registered) fixes.Add($"register it on every node with registry.RegisterDeployable<{type}>(\"a-stable-name\")");
        if (arguments is null)
            fixes.Add($"its props were made from a delegate; use Props.Create<{type}>(args) or Props.Create(() => new {type}(...))");
        throw new InvalidOperationException($"cannot deploy {type} to {destination}: {string.Join("; and ", fixes)}");
    }

    // The child's path on the target: /remote/<system>.<host>.<port>/user/parent/child, with the uid the parent picked.
    private ActorPath PathOnTarget(ActorPath childPath, Address target)
    {
        var origin = string.Create(CultureInfo.InvariantCulture, $"{_address.System}.{_address.Host}.{_address.Port}").Replace(':', '_');
        ActorPath path = new RootActorPath(target).Child("remote").Child(origin);
        var elements = childPath.Elements;
        for (var i = 0; i < elements.Count - 1; i++) path = path.Child(elements[i]);
        return new ChildActorPath(path, childPath.Name, childPath.Uid);
    }

    // A constructor argument: empty for null, 'R' + path for an actor ref, 'P' + payload for a registered message.
    private byte[] EncodeArgument(object? argument) => argument switch
    {
        null => [],
        IActorRef actor => [(byte)'R', .. global::System.Text.Encoding.UTF8.GetBytes(PathOf(actor))],
        _ => [(byte)'P', .. PayloadCodec.ToPayload(argument, _context)!.ToByteArray()],
    };

    private object? DecodeArgument(byte[] bytes)
    {
        if (bytes.Length == 0) return null;
        var body = bytes.AsSpan(1);
        return bytes[0] switch
        {
            (byte)'R' => _context.ResolveRef(global::System.Text.Encoding.UTF8.GetString(body)),
            (byte)'P' => PayloadCodec.FromPayload(Payload.Parser.ParseFrom(body), _context),
            _ => throw new InvalidDataException($"constructor argument of unknown kind {bytes[0]}"),
        };
    }

    private static string KeyOf(ActorPath path) => string.Join('/', path.Elements);

    private void OnRemoteDeploy(NodeIdentity from, RemoteDeploy d)
    {
        if (!ActorPath.TryParse(d.Path, out var path) || !System.IsLocalAddress(path.Address) || path.Elements is not ["remote", _, _, ..]
            || !ActorPath.TryParse(d.Parent, out var parentPath) || System.IsLocalAddress(parentPath.Address))
        {
            _log.Warning("refused a deployment from {Peer}: child path '{Path}' or parent '{Parent}' is malformed",
                from, TypeNames.Printable(d.Path), TypeNames.Printable(d.Parent));
            return;
        }
        var parent = (IInternalActorRef)ResolveRemote(parentPath)!;
        try
        {
            if (!_registry.TryGetDeployable(d.Deployable, out var actorType))
                throw new InvalidOperationException($"no actor type is registered here as deployable '{TypeNames.Printable(d.Deployable)}'");
            var arguments = d.Arguments.Select(DecodeArgument).ToArray();
            var props = Props.Create(actorType, arguments);
            if (d.MailboxCapacity is { } capacity) props = props.WithMailboxCapacity(capacity);
            var key = KeyOf(path);
            if (_deployed.ContainsKey(key)) throw new InvalidOperationException($"{path} is already deployed here");
            var child = System.SpawnDeployed(props, path, parent);
            _deployed[key] = child;
            _deployments?.Tell(new ChildDeployed(child, parent));
            _log.Debug("deployed {Child} for parent {Parent}", path, parentPath);
        }
        catch (Exception e)
        {
            // The parent learns at once that its child does not exist; the reason is logged here, on the target.
            _log.Error("could not deploy {Child} for {Parent}: {Reason}", path, parentPath, e.Message);
            SendSystemEnvelope(parent, new RemoteDeathWatchNotification(d.Path, ExistenceConfirmed: false, AddressTerminated: false));
        }
    }

    /// <summary>A deployed child, or one of its descendants, by a path under /remote.</summary>
    private IActorRef? ResolveDeployed(ActorPath path)
    {
        var elements = path.Elements;
        for (var length = elements.Count; length >= 3; length--)
        {
            if (!_deployed.TryGetValue(string.Join('/', elements.Take(length)), out var root)) continue;
            var cell = root.Cell;
            for (var i = length; i < elements.Count; i++)
            {
                if (cell.GetChild(elements[i]) is not { } next) return null;
                cell = next.Cell;
            }
            if (cell.IsTerminated) return null;
            return path.Uid == ActorPath.UndefinedUid || path.Uid == cell.Self.Path.Uid ? cell.Self : null;
        }
        return null;
    }

    /// <summary>Called when a deployed child stopped: its path no longer resolves.</summary>
    internal void ForgetDeployed(IActorRef child) => _deployed.TryRemove(KeyOf(child.Path), out _);
}

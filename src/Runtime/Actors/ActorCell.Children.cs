using System.Collections.Concurrent;
using System.Globalization;
using ActorTasks.Routing;

namespace ActorTasks.Actor;

public sealed partial class ActorCell
{
    // Created on the first child (most actors have none). Child creation may come from any thread for
    // the guardians (system.ActorOf), so the container is concurrent; the restart stats inside each
    // entry are touched only by this cell's own mailbox run.
    private ConcurrentDictionary<string, ChildRestartStats>? _children;
    private HashSet<IActorRef>? _childrenStopping;
    private long _nextRandomName;
    // Kept beside the dictionary because ConcurrentDictionary.IsEmpty/Count scan or lock every bucket.
    private int _childCount;

    private ConcurrentDictionary<string, ChildRestartStats> ChildrenContainer
    {
        get
        {
            var children = Volatile.Read(ref _children);
            if (children is not null) return children;
            var fresh = new ConcurrentDictionary<string, ChildRestartStats>(StringComparer.Ordinal);
            return Interlocked.CompareExchange(ref _children, fresh, null) ?? fresh;
        }
    }

    public IEnumerable<IActorRef> Children => ChildStats.Select(s => (IActorRef)s.Child).ToArray();

    internal bool HasChildren => Volatile.Read(ref _childCount) > 0;

    public IActorRef Child(string name) =>
        Volatile.Read(ref _children) is { } children && children.TryGetValue(name, out var stats) ? stats.Child : Nobody.Instance;

    /// <summary>A child that lives in this system (not one deployed on another node).</summary>
    internal LocalActorRef? GetChild(string name) =>
        Volatile.Read(ref _children) is { } children && children.TryGetValue(name, out var stats) ? stats.Child as LocalActorRef : null;

    /// <summary>Creates a child. Thread-safe: the system calls it on the guardians from any thread.</summary>
    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is null)
        {
            name = "$" + Interlocked.Increment(ref _nextRandomName).ToString(CultureInfo.InvariantCulture);
        }
        else if (!ActorPath.IsValidName(name))
        {
            throw new InvalidActorNameException(
                $"invalid actor name '{name}' under {_self.Path}: a name must be non-empty, must not start with '$', " +
                "and must not contain '/', '#', '?', '@', ':', quotes, backslashes or whitespace");
        }
        if (_terminated || Volatile.Read(ref _terminating))
            throw new InvalidOperationException($"cannot create child '{name}': {_self.Path} is stopping");

        if (props.RouterConfig is RouterConfig router)
        {
            var routeeProps = props.WithoutRouter();
            router.Validate(routeeProps, _system);
            props = router.CreateRouterProps(routeeProps);
        }

        var path = new ChildActorPath(_self.Path, name, NewUid());
        var deploy = props.Deploy ?? _system.Settings.DeploymentFor(path);
        if (deploy?.RemoteAddress is { } target && !_system.IsLocalAddress(target))
            return DeployRemoteChild(props, path, target);

        var cell = new ActorCell(_system, props, path, _self);
        if (!ChildrenContainer.TryAdd(name, new ChildRestartStats(cell.SelfRef)))
            throw new InvalidActorNameException($"actor name '{name}' is not unique: {_self.Path}/{name} already exists");
        Interlocked.Increment(ref _childCount);
        cell.Start();
        // Pairs with the full fence in BeginTerminate: either it sees this child, or we see it stopping.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _terminating)) cell.SendSystemMessage(new Dispatch.Terminate());
        return cell.SelfRef;
    }

    // The child runs on another node; this cell keeps its remote ref among its children and supervises it
    // through system messages that the provider carries across the wire.
    private IActorRef DeployRemoteChild(Props props, ChildActorPath path, Address target)
    {
        if (_system.ExternalProvider is not IRemoteDeployer deployer)
            throw new InvalidOperationException(
                $"cannot deploy {path} to {target}: remoting is not enabled in system '{_system.Name}' (set actortasks.actor.provider = remote)");
        if (Volatile.Read(ref _children) is { } existing && existing.ContainsKey(path.Name))
            throw new InvalidActorNameException($"actor name '{path.Name}' is not unique: {path} already exists");
        var child = deployer.CreateRemoteChild(props, path, _self, target);
        if (!ChildrenContainer.TryAdd(path.Name, new ChildRestartStats(child)))
            throw new InvalidActorNameException($"actor name '{path.Name}' is not unique: {path} already exists");
        Interlocked.Increment(ref _childCount);
        deployer.StartRemoteChild(child, props, _self);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _terminating)) child.SendSystemMessage(new Dispatch.Terminate());
        return child;
    }

    private static long NewUid()
    {
        long uid;
        do uid = Random.Shared.NextInt64();
        while (uid == ActorPath.UndefinedUid);
        return uid;
    }

    /// <summary>Stops a child or this actor (any other actor is sent the stop too).</summary>
    public void Stop(IActorRef child)
    {
        ArgumentNullException.ThrowIfNull(child);
        if (child is not IInternalActorRef target)
            throw new ArgumentException($"{child} is not a runtime actor ref", nameof(child));
        if (ReferenceEquals(t_current, this) && IsOwnChild(child))
            (_childrenStopping ??= []).Add(child);
        target.SendSystemMessage(new Dispatch.Terminate());
    }

    private bool IsOwnChild(IActorRef actor) =>
        Volatile.Read(ref _children) is { } children
        && children.TryGetValue(actor.Path.Name, out var stats)
        && stats.Child.Equals(actor);

    private bool TryRemoveChild(IActorRef actor)
    {
        var children = Volatile.Read(ref _children);
        if (children is null || !children.TryGetValue(actor.Path.Name, out var stats) || !stats.Child.Equals(actor))
            return false;
        if (children.TryRemove(new KeyValuePair<string, ChildRestartStats>(actor.Path.Name, stats)))
            Interlocked.Decrement(ref _childCount);
        _childrenStopping?.Remove(actor);
        return true;
    }

    private ChildRestartStats? GetChildStats(IActorRef actor) =>
        Volatile.Read(ref _children) is { } children && children.TryGetValue(actor.Path.Name, out var stats) && stats.Child.Equals(actor)
            ? stats
            : null;

    // Enumerating a ConcurrentDictionary takes no lock and copies nothing (unlike .Values); with no
    // children there is nothing to enumerate and nothing is allocated.
    private IEnumerable<ChildRestartStats> ChildStats =>
        HasChildren && Volatile.Read(ref _children) is { } children ? children.Select(e => e.Value) : [];
}

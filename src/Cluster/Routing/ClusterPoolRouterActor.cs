using ActorTasks.Actor;
using ActorTasks.Cluster.Events;
using ActorTasks.Cluster.Membership;
using ActorTasks.Routing;

namespace ActorTasks.Cluster.Routing;

/// <summary>
/// The router of a <see cref="ClusterRouterPool"/>: it follows the membership, deploys routees (its children) on the
/// members that may host them, fewest-first, and drops the routees of members that can no longer host them.
/// </summary>
internal sealed class ClusterPoolRouterActor : RouterActor, IWithTimers
{
    private const string RedeployTimer = "redeploy";

    private readonly ClusterRouterPool _config;
    private readonly Props _routeeProps;
    private readonly Cluster _cluster;
    // Members that may host routees now: Up, reachable, with the role, and local only when allowed.
    private readonly Dictionary<Address, Member> _hosts = [];
    private readonly HashSet<UniqueAddress> _unreachable = [];
    // The member each routee this router deployed runs on; the count per member is what the limits apply to.
    private readonly Dictionary<IActorRef, Address> _nodeOf = [];

    public ClusterPoolRouterActor(ClusterRouterPool config, Props routeeProps)
        : base(config.Pool.CreateRoutingLogic(Context), stopWhenAllRouteesRemoved: false)
    {
        _config = config;
        _routeeProps = routeeProps;
        _cluster = Cluster.Get(Context.System);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private ClusterRouterPoolSettings Settings => _config.Settings;

    protected override SupervisorStrategy SupervisorStrategy() => _config.Pool.SupervisorStrategy;

    protected override void PreStart() =>
        _cluster.Subscribe(Self, typeof(MemberUp), typeof(MemberLeft), typeof(MemberExited), typeof(MemberDowned),
            typeof(MemberRemoved), typeof(UnreachableMember), typeof(ReachableMember));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    /// <summary>Adopts the routees that survived the restart (their member is read from their path), then resubscribes.</summary>
    protected override void PostRestart(Exception reason)
    {
        foreach (var child in Context.Children)
        {
            _nodeOf[child] = child.Path.Address.Host is null ? _cluster.SelfAddress : child.Path.Address;
            AddRoutee(new ActorRefRoutee(child));
        }
        PreStart(); // the fresh state that comes first places the adopted routees, and drops those on members now gone
    }

    protected override bool ReceiveRouterMessage(object message)
    {
        switch (message)
        {
            case CurrentClusterState state:
                _unreachable.Clear();
                foreach (var member in state.Unreachable) _unreachable.Add(member.Node);
                foreach (var member in state.Members) Track(member);
                // Adopted routees on members no longer in the membership at all.
                foreach (var gone in _nodeOf.Values.Distinct().Where(a => !_hosts.ContainsKey(a)).ToList()) Release(gone);
                break;
            case UnreachableMember e:
                _unreachable.Add(e.Member.Node);
                Track(e.Member);
                break;
            case ReachableMember e:
                _unreachable.Remove(e.Member.Node);
                Track(e.Member);
                StopStrays(e.Member.Node.Address);
                break;
            case MemberRemoved e:
                _unreachable.Remove(e.Member.Node);
                Track(e.Member);
                break;
            case MemberEvent e:
                Track(e.Member);
                break;
            case Redeploy:
                break;
            default:
                return false;
        }
        Deploy();
        return true;
    }

    protected override void OnRouteeTerminated(Terminated terminated)
    {
        if (!_nodeOf.Remove(terminated.ActorRef, out var node)) return;
        // A replacement comes after a pause: the routee may be failing at start, or its node dying before the
        // membership says so; the pause keeps either from becoming a loop of deployments.
        Context.GetLogger().Debug("routee {Routee} on {Node} stopped; redeploying in {Delay}", terminated.ActorRef.Path, node,
            Settings.RedeployDelay);
        if (!Timers.IsTimerActive(RedeployTimer)) Timers.StartSingleTimer(RedeployTimer, Redeploy.Instance, Settings.RedeployDelay);
    }

    private bool MayHost(Member member) =>
        member.Status == MemberStatus.Up
        && !_unreachable.Contains(member.Node)
        && (Settings.UseRole is not { } role || member.HasRole(role))
        && (Settings.AllowLocalRoutees || !member.Node.Address.Equals(_cluster.SelfAddress));

    private void Track(Member member)
    {
        var address = member.Node.Address;
        if (MayHost(member))
        {
            _hosts[address] = member;
        }
        else if (_hosts.TryGetValue(address, out var known) && known.Node.Equals(member.Node))
        {
            _hosts.Remove(address);
            Release(address);
        }
        else if (!_hosts.ContainsKey(address))
        {
            Release(address); // adopted after a restart, on a member that can no longer host
        }
    }

    /// <summary>Drops the routees on <paramref name="node"/> from routing and stops them (when the node still listens).</summary>
    private void Release(Address node)
    {
        var routees = _nodeOf.Where(e => e.Value.Equals(node)).Select(e => e.Key).ToList();
        if (routees.Count == 0) return;
        Context.GetLogger().Information("cluster pool {Router}: {Count} routee(s) on {Node} removed (member unreachable, leaving or gone)",
            Self.Path, routees.Count, node);
        foreach (var routee in routees)
        {
            _nodeOf.Remove(routee);
            RemoveRoutee(new ActorRefRoutee(routee), stopChild: true);
        }
    }

    /// <summary>
    /// Stops again the children on <paramref name="node"/> that are no longer routees: the stop sent when it became
    /// unreachable may have been lost, and those children would otherwise run there unused for as long as this router.
    /// </summary>
    private void StopStrays(Address node)
    {
        foreach (var child in Context.Children)
        {
            if (child.Path.Address.Equals(node) && !_nodeOf.ContainsKey(child)) Context.Stop(child);
        }
    }

    /// <summary>Deploys routees until the total is reached or no member has room, each on a member with the fewest.</summary>
    private void Deploy()
    {
        // A routee removed with RemoveRoutee no longer counts against the limits.
        foreach (var gone in _nodeOf.Keys.Where(r => !CurrentRoutees.Contains(new ActorRefRoutee(r))).ToList()) _nodeOf.Remove(gone);
        if (_nodeOf.Count >= Settings.TotalInstances || _hosts.Count == 0) return;
        var counts = _hosts.Keys.ToDictionary(a => a, _ => 0);
        foreach (var node in _nodeOf.Values)
        {
            if (counts.ContainsKey(node)) counts[node]++;
        }
        while (_nodeOf.Count < Settings.TotalInstances)
        {
            // Fewest routees first; ties by address, so the order does not depend on dictionary order.
            var target = counts.Where(c => c.Value < Settings.MaxInstancesPerNode)
                .OrderBy(c => c.Value).ThenBy(c => c.Key.ToString(), StringComparer.Ordinal)
                .Select(c => c.Key).FirstOrDefault();
            if (target is null) return;
            var deploy = target.Equals(_cluster.SelfAddress) ? Actor.Deploy.Local : Actor.Deploy.Remote(target);
            var routee = Context.ActorOf(_routeeProps.WithDeploy(deploy));
            _nodeOf[routee] = target;
            counts[target]++;
            AddRoutee(new ActorRefRoutee(routee));
        }
    }

    /// <summary>Time to replace routees that stopped.</summary>
    private sealed record Redeploy
    {
        public static readonly Redeploy Instance = new();
    }
}

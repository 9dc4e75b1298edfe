using ActorTasks.Actor;
using ActorTasks.Cluster.Events;
using ActorTasks.Cluster.Membership;
using ActorTasks.Routing;

namespace ActorTasks.Cluster.Routing;

/// <summary>
/// A cluster-aware group router: the group's paths on every Up member (with <paramref name="useRole"/>, when given)
/// are its routees, added as members come up and removed as they become unreachable, leave or are downed.
/// </summary>
public sealed class ClusterRouterGroup(Group group, string? useRole = null)
{
    /// <summary>The local group whose routing logic and paths are used on each member.</summary>
    public Group Group { get; } = group ?? throw new ArgumentNullException(nameof(group));

    /// <summary>Only members with this role host routees (null: every member).</summary>
    public string? UseRole { get; } = useRole;

    /// <summary>Props for the router: <c>system.ActorOf(new ClusterRouterGroup(new RoundRobinGroup("/user/worker"), "worker").Props(), "workers")</c>.</summary>
    public Props Props() => Actor.Props.CreateBy(() => new ClusterGroupRouterActor(this));
}

/// <summary>The router actor: routes like its group; a child follows the membership and adds or removes routees.</summary>
internal sealed class ClusterGroupRouterActor(ClusterRouterGroup config)
    : RouterActor(config.Group.CreateRoutingLogic(Context), stopWhenAllRouteesRemoved: false)
{
    protected override void PreStart() =>
        Context.ActorOf(Actor.Props.CreateBy(() => new ClusterRouteeTracker(config, Self)), "membership");
}

/// <summary>Turns member events into AddRoutee / RemoveRoutee for the router it belongs to.</summary>
internal sealed class ClusterRouteeTracker : ReceiveActor
{
    private readonly ClusterRouterGroup _config;
    private readonly IActorRef _router;

    public ClusterRouteeTracker(ClusterRouterGroup config, IActorRef router)
    {
        _config = config;
        _router = router;
        Receive<CurrentClusterState>(s =>
        {
            foreach (var member in s.Members.Where(m => m.Status == MemberStatus.Up && !s.Unreachable.Contains(m))) Add(member);
        });
        Receive<MemberUp>(e => Add(e.Member));
        Receive<ReachableMember>(e => { if (e.Member.Status == MemberStatus.Up) Add(e.Member); });
        Receive<UnreachableMember>(e => Remove(e.Member));
        Receive<MemberLeft>(e => Remove(e.Member));
        Receive<MemberDowned>(e => Remove(e.Member));
        Receive<MemberRemoved>(e => Remove(e.Member));
    }

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, typeof(MemberUp), typeof(MemberLeft), typeof(MemberDowned), typeof(MemberRemoved),
            typeof(UnreachableMember), typeof(ReachableMember));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private IEnumerable<Routee> RouteesOn(Member member) =>
        _config.UseRole is { } role && !member.HasRole(role)
            ? []
            : _config.Group.Paths.Select(path => (Routee)new ActorSelectionRoutee(Context.System.ActorSelection($"{member.Node.Address}{path}")));

    private void Add(Member member)
    {
        foreach (var routee in RouteesOn(member)) _router.Tell(new AddRoutee(routee), Self);
    }

    private void Remove(Member member)
    {
        foreach (var routee in RouteesOn(member)) _router.Tell(new RemoveRoutee(routee), Self);
    }
}

using ActorTasks.Actor;
using ActorTasks.Cluster.Events;
using ActorTasks.Cluster.Membership;

namespace ActorTasks.Cluster.Singleton;

/// <summary>
/// Runs one instance of an actor in the whole cluster, on the oldest Up member (with the role, when given). Start a
/// manager on every such member under the same name; the one on the oldest member runs the singleton as its child
/// <c>singleton</c>. When the oldest leaves or is downed, it stops its instance and the next oldest starts one once
/// no older member is left, so two instances never run at once (a gap, covered by the proxy's buffer, is possible).
/// </summary>
public sealed class ClusterSingletonManager : ReceiveActor
{
    /// <summary>The child name of the singleton under its manager.</summary>
    public const string SingletonName = "singleton";

    private readonly Props _singletonProps;
    private readonly string? _role;
    private readonly Cluster _cluster;
    private CurrentClusterState _state = CurrentClusterState.Empty;
    private readonly Dictionary<UniqueAddress, Member> _members = [];
    private IActorRef? _instance;

    public ClusterSingletonManager(Props singletonProps, string? role)
    {
        _singletonProps = singletonProps;
        _role = role;
        _cluster = Cluster.Get(Context.System);
        Receive<CurrentClusterState>(s =>
        {
            _state = s;
            foreach (var m in s.Members) _members[m.Node] = m;
            Decide();
        });
        Receive<MemberEvent>(e =>
        {
            if (e is MemberRemoved) _members.Remove(e.Member.Node);
            else _members[e.Member.Node] = e.Member;
            Decide();
        });
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_instance)) _instance = null;
            Decide();
        });
    }

    /// <summary>Props for a manager of <paramref name="singletonProps"/> on members with <paramref name="role"/> (null: all).</summary>
    public static Props Props(Props singletonProps, string? role = null) =>
        Actor.Props.CreateBy(() => new ClusterSingletonManager(singletonProps, role));

    protected override void PreStart() => _cluster.Subscribe(Self, typeof(MemberEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Decide()
    {
        var self = _members.GetValueOrDefault(_cluster.SelfUniqueAddress);
        var candidates = _members.Values.Where(m => _role is null || m.HasRole(_role)).ToList();
        // Run only as an Up member with no older member that may still run (or be about to hand over) an instance.
        var shouldRun = self is { Status: MemberStatus.Up } && (_role is null || self.HasRole(_role))
            && !candidates.Any(m => !m.Node.Equals(self.Node) && m.IsOlderThan(self)
                && m.Status is MemberStatus.Up or MemberStatus.Leaving or MemberStatus.Exiting);
        if (shouldRun && _instance is null)
        {
            _instance = Context.ActorOf(_singletonProps, SingletonName);
            Context.Watch(_instance);
            Context.GetLogger().Information("singleton {Path} started on the oldest member", _instance.Path);
        }
        else if (!shouldRun && _instance is not null)
        {
            Context.GetLogger().Information("singleton {Path} stopped: this member is no longer the oldest", _instance.Path);
            Context.Stop(_instance);
            _instance = null;
        }
    }
}

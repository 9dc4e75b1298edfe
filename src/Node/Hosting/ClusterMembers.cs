using Akka.Actor;
using Akka.Cluster;
using ActorTasks.Messages;

namespace ActorTasks.Node.Hosting;

/// <summary>
/// Answers <see cref="GetMembers"/> with the cluster as this member sees it, for the console's and the CLI's
/// <c>nodes</c>; runs at <c>/user/members</c> on every member, so a client asks the seed's.
/// </summary>
/// <remarks>Members carry no clock of their own: it remembers when it first saw each one Up.</remarks>
internal sealed class ClusterMembers : ReceiveActor
{
    /// <summary>The actor's name under <c>/user</c>.</summary>
    public const string Name = "members";

    private readonly Dictionary<UniqueAddress, DateTimeOffset> _upSince = [];

    public ClusterMembers()
    {
        // Members already Up when this one subscribed were Up for an unknown time.
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<ClusterEvent.MemberUp>(e => _upSince.TryAdd(e.Member.UniqueAddress, DateTimeOffset.UtcNow));
        Receive<ClusterEvent.MemberRemoved>(e => _upSince.Remove(e.Member.UniqueAddress));
        Receive<GetMembers>(_ => Sender.Tell(Report(), Self));
    }

    private MembersReport Report()
    {
        var cluster = Cluster.Get(Context.System);
        var state = cluster.State;
        var members = state.Members.Select(m => new ClusterMember(
            m.Address.ToString(),
            [.. m.Roles.Order(StringComparer.Ordinal)],
            m.Status.ToString(),
            !state.Unreachable.Contains(m),
            _upSince.TryGetValue(m.UniqueAddress, out var since) ? since : null));
        return new MembersReport(cluster.SelfAddress.ToString(), [.. members], state.Leader?.ToString());
    }

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}

using ActorTasks.Actor;
using ActorTasks.Cluster.Membership;

namespace ActorTasks.Cluster.Events;

/// <summary>Something that happened to the cluster's membership; published on the system's event stream.</summary>
public abstract record ClusterDomainEvent;

/// <summary>A member changed status.</summary>
public abstract record MemberEvent(Member Member) : ClusterDomainEvent;

/// <summary>A node asked to join.</summary>
public sealed record MemberJoined(Member Member) : MemberEvent(Member);

/// <summary>The leader moved a member to Up.</summary>
public sealed record MemberUp(Member Member) : MemberEvent(Member);

/// <summary>A member asked to leave.</summary>
public sealed record MemberLeft(Member Member) : MemberEvent(Member);

/// <summary>A leaving member is handing over; it is removed next.</summary>
public sealed record MemberExited(Member Member) : MemberEvent(Member);

/// <summary>A member was declared down (by a user or the split-brain resolver).</summary>
public sealed record MemberDowned(Member Member) : MemberEvent(Member);

/// <summary>A member is gone from the cluster; <paramref name="PreviousStatus"/> says whether it left or was downed.</summary>
public sealed record MemberRemoved(Member Member, MemberStatus PreviousStatus) : MemberEvent(Member);

/// <summary>A member's heartbeats stopped arriving at some other member.</summary>
public sealed record UnreachableMember(Member Member) : ClusterDomainEvent;

/// <summary>A member that was unreachable answers again.</summary>
public sealed record ReachableMember(Member Member) : ClusterDomainEvent;

/// <summary>The leader is another member now (null: no leader).</summary>
public sealed record LeaderChanged(Address? Leader) : ClusterDomainEvent;

/// <summary>The membership as it is, sent first to a new subscriber (and the answer to <c>Cluster.State</c>).</summary>
public sealed record CurrentClusterState(IReadOnlyList<Member> Members, IReadOnlySet<Member> Unreachable, Address? Leader)
{
    public static readonly CurrentClusterState Empty = new([], new HashSet<Member>(), null);

    /// <summary>The members with status Up.</summary>
    public IEnumerable<Member> UpMembers => Members.Where(m => m.Status == MemberStatus.Up);
}

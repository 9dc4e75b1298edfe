using ActorTasks.Actor;
using ActorTasks.Cluster.Membership;

namespace ActorTasks.Cluster.Events;

/// <summary>The member events that take one gossip to the next, in the order a subscriber should see them.</summary>
internal static class ClusterEventDiff
{
    public static IEnumerable<ClusterDomainEvent> Between(Gossip previous, Gossip next, Address? previousLeader, Address? nextLeader)
    {
        foreach (var member in next.Members.Values)
        {
            var before = previous.Member(member.Node);
            if (before is not null && before.Status == member.Status) continue;
            ClusterDomainEvent? e = member.Status switch
            {
                MemberStatus.Joining => new MemberJoined(member),
                MemberStatus.Up => new MemberUp(member),
                MemberStatus.Leaving => new MemberLeft(member),
                MemberStatus.Exiting => new MemberExited(member),
                MemberStatus.Down => new MemberDowned(member),
                _ => null,
            };
            // A member first seen already Up (e.g. in a Welcome) was joined too: say both, in order.
            if (before is null && member.Status != MemberStatus.Joining) yield return new MemberJoined(member with { Status = MemberStatus.Joining });
            if (e is not null) yield return e;
        }
        foreach (var member in previous.Members.Values)
        {
            if (!next.Members.ContainsKey(member.Node))
                yield return new MemberRemoved(member with { Status = MemberStatus.Removed }, member.Status);
        }
        var wasUnreachable = previous.Unreachable;
        var isUnreachable = next.Unreachable;
        foreach (var node in isUnreachable.Except(wasUnreachable))
            yield return new UnreachableMember(next.Members[node]);
        foreach (var node in wasUnreachable.Except(isUnreachable))
        {
            if (next.Members.TryGetValue(node, out var member)) yield return new ReachableMember(member);
        }
        if (!Equals(previousLeader, nextLeader)) yield return new LeaderChanged(nextLeader);
    }
}

using ActorTasks.Cluster.Membership;

namespace ActorTasks.Cluster.Downing;

/// <summary>What the split-brain resolver does about the members this side cannot reach.</summary>
public enum DowningDecision
{
    /// <summary>Nothing: no member is unreachable, or downing is off.</summary>
    None,

    /// <summary>This side survives: down the members it cannot reach.</summary>
    DownUnreachable,

    /// <summary>The other side survives: down every member of this side, this node included.</summary>
    DownReachable,
}

/// <summary>
/// The split-brain resolver's decision, a pure function of the members, the ones this side cannot reach, and the
/// strategy. Both sides of a partition run it on their own view; the strategies are built so that at most one side
/// decides to survive.
/// </summary>
public static class SplitBrainResolver
{
    public static DowningDecision Decide(ClusterSettings settings, IEnumerable<Member> members, IReadOnlySet<UniqueAddress> unreachable)
    {
        // Members already on their way out do not count on either side.
        var counted = members.Where(m => m.Status is MemberStatus.Joining or MemberStatus.Up or MemberStatus.Leaving).ToList();
        if (!counted.Any(m => unreachable.Contains(m.Node))) return DowningDecision.None;
        var role = settings.DowningRole;
        var voters = role is null ? counted : counted.Where(m => m.HasRole(role)).ToList();
        var reachable = voters.Where(m => !unreachable.Contains(m.Node)).ToList();
        var away = voters.Where(m => unreachable.Contains(m.Node)).ToList();
        return settings.DowningStrategy switch
        {
            DowningStrategy.Off => DowningDecision.None,
            DowningStrategy.KeepMajority => KeepMajority(reachable, away),
            DowningStrategy.StaticQuorum => reachable.Count >= settings.QuorumSize ? DowningDecision.DownUnreachable : DowningDecision.DownReachable,
            DowningStrategy.KeepOldest => KeepOldest(voters, reachable, away, settings.DownIfAlone),
            _ => DowningDecision.None,
        };
    }

    private static DowningDecision KeepMajority(List<Member> reachable, List<Member> away)
    {
        if (reachable.Count != away.Count)
            return reachable.Count > away.Count ? DowningDecision.DownUnreachable : DowningDecision.DownReachable;
        // A tie: the side holding the lowest address survives, which both sides compute alike.
        var lowest = reachable.Concat(away).Select(m => m.Node).Min();
        return reachable.Any(m => m.Node.Equals(lowest)) ? DowningDecision.DownUnreachable : DowningDecision.DownReachable;
    }

    private static DowningDecision KeepOldest(List<Member> voters, List<Member> reachable, List<Member> away, bool downIfAlone)
    {
        if (voters.Count == 0) return DowningDecision.DownUnreachable;
        var oldest = voters.Aggregate((a, b) => a.IsOlderThan(b) ? a : b);
        var oldestHere = reachable.Contains(oldest);
        if (oldestHere)
            return downIfAlone && reachable.Count == 1 && away.Count > 0 ? DowningDecision.DownReachable : DowningDecision.DownUnreachable;
        return downIfAlone && away.Count == 1 && reachable.Count > 0 ? DowningDecision.DownUnreachable : DowningDecision.DownReachable;
    }
}

namespace ActorTasks.Cluster.Membership;

/// <summary>Where a member is in its life in the cluster.</summary>
public enum MemberStatus
{
    /// <summary>Asked to join; the leader moves it to Up once every member has seen it.</summary>
    Joining = 0,

    /// <summary>A full member.</summary>
    Up = 1,

    /// <summary>Asked to leave; the leader moves it to Exiting.</summary>
    Leaving = 2,

    /// <summary>Handing over; the leader removes it next.</summary>
    Exiting = 3,

    /// <summary>Declared dead (by a user or the split-brain resolver); the leader removes it next.</summary>
    Down = 4,

    /// <summary>Gone from the cluster (only seen in events: a removed member is no longer in the membership).</summary>
    Removed = 5,
}

/// <summary>A member of the cluster: its node, status, roles, and the order in which it became Up (for "oldest").</summary>
public sealed record Member(UniqueAddress Node, MemberStatus Status, IReadOnlySet<string> Roles, int UpNumber)
{
    /// <summary>True when this member has the role.</summary>
    public bool HasRole(string role) => Roles.Contains(role);

    /// <summary>True when this member became Up before <paramref name="other"/> (ties broken by address).</summary>
    public bool IsOlderThan(Member other)
    {
        if (UpNumber == other.UpNumber) return Node.CompareTo(other.Node) < 0;
        if (UpNumber == 0) return false; // not Up yet: youngest
        return other.UpNumber == 0 || UpNumber < other.UpNumber;
    }

    /// <summary>The same member in a new status.</summary>
    public Member With(MemberStatus status) => this with { Status = status };

    /// <summary>Which of two views of the same member wins when gossip is merged: the later stage of life.</summary>
    internal static Member HighestPriority(Member a, Member b)
    {
        var winner = Priority(a.Status) >= Priority(b.Status) ? a : b;
        var upNumber = winner.UpNumber != 0 ? winner.UpNumber : Math.Max(a.UpNumber, b.UpNumber);
        return winner with { UpNumber = upNumber };
    }

    private static int Priority(MemberStatus status) => status switch
    {
        MemberStatus.Joining => 0,
        MemberStatus.Up => 1,
        MemberStatus.Leaving => 2,
        MemberStatus.Exiting => 3,
        MemberStatus.Down => 4,
        _ => 5,
    };

    public override string ToString() => $"{Node.Address} {Status}{(Roles.Count > 0 ? $" [{string.Join(",", Roles.Order(StringComparer.Ordinal))}]" : "")}";
}

using System.Collections.Immutable;

namespace ActorTasks.Cluster.Membership;

/// <summary>
/// The cluster's shared state that nodes gossip: the members, who cannot reach whom, the version, the nodes that have
/// seen this version, and tombstones of removed members (so old gossip cannot bring them back). Immutable.
/// </summary>
public sealed record Gossip(
    ImmutableSortedDictionary<UniqueAddress, Member> Members,
    Reachability Reachability,
    VectorClock Version,
    ImmutableHashSet<UniqueAddress> Seen,
    ImmutableDictionary<UniqueAddress, DateTimeOffset> Tombstones)
{
    public static readonly Gossip Empty = new(
        ImmutableSortedDictionary<UniqueAddress, Member>.Empty, Reachability.Empty, VectorClock.Empty, [], ImmutableDictionary<UniqueAddress, DateTimeOffset>.Empty);

    /// <summary>How long a removed member's tombstone is kept.</summary>
    public static readonly TimeSpan TombstoneLifetime = TimeSpan.FromMinutes(5);

    public Member? Member(UniqueAddress node) => Members.GetValueOrDefault(node);

    /// <summary>The member at <paramref name="address"/> whatever its incarnation, if any.</summary>
    public Member? MemberAt(Actor.Address address) => Members.Values.FirstOrDefault(m => m.Node.Address.Equals(address));

    /// <summary>Members some reachable, not-down observer cannot reach.</summary>
    public ImmutableHashSet<UniqueAddress> Unreachable
    {
        get
        {
            var all = ImmutableHashSet<UniqueAddress>.Empty;
            foreach (var (observer, row) in Reachability.Rows)
            {
                if (Members.TryGetValue(observer, out var m) && m.Status != MemberStatus.Down) all = all.Union(row.Unreachable);
            }
            return all.Intersect(Members.Keys);
        }
    }

    /// <summary>
    /// True when every reachable member that is not down or exiting has seen this version, and every unreachable
    /// member is down or exiting: only then may the leader move members on.
    /// </summary>
    public bool HasConvergence()
    {
        var unreachable = Unreachable;
        foreach (var member in Members.Values)
        {
            var settled = member.Status is MemberStatus.Down or MemberStatus.Exiting;
            if (unreachable.Contains(member.Node))
            {
                if (!settled) return false;
            }
            else if (!settled && !Seen.Contains(member.Node))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The lowest reachable member that is Up or Leaving (Joining when none is): it moves members on.</summary>
    public UniqueAddress? Leader
    {
        get
        {
            var unreachable = Unreachable;
            var reachable = Members.Values.Where(m => !unreachable.Contains(m.Node)).ToList();
            var candidate = reachable.FirstOrDefault(m => m.Status is MemberStatus.Up or MemberStatus.Leaving)
                ?? reachable.FirstOrDefault(m => m.Status == MemberStatus.Joining);
            return candidate?.Node;
        }
    }

    /// <summary>This gossip with <paramref name="member"/> added or changed, as a new version by <paramref name="self"/>.</summary>
    public Gossip Update(UniqueAddress self, Member member) =>
        (this with { Members = Members.SetItem(member.Node, member) }).Changed(self);

    /// <summary>This gossip without <paramref name="nodes"/> (tombstoned), as a new version by <paramref name="self"/>.</summary>
    public Gossip Remove(UniqueAddress self, IReadOnlyCollection<UniqueAddress> nodes, DateTimeOffset now) =>
        (this with
        {
            Members = Members.RemoveRange(nodes),
            Reachability = Reachability.Remove(nodes),
            Tombstones = Tombstones.SetItems(nodes.Select(n => KeyValuePair.Create(n, now))),
        }).Changed(self);

    /// <summary>A new version, seen only by <paramref name="self"/> so far.</summary>
    public Gossip Changed(UniqueAddress self) => this with { Version = Version.Increment(VersionKey(self)), Seen = [self] };

    /// <summary>Adds <paramref name="node"/> to the nodes that have seen this version.</summary>
    public Gossip SeenBy(UniqueAddress node) => Seen.Contains(node) ? this : this with { Seen = Seen.Add(node) };

    /// <summary>Both views in one: each member at its later stage of life, newer reachability rows, the merged version.</summary>
    public Gossip Merge(Gossip other)
    {
        var tombstones = Tombstones.SetItems(other.Tombstones);
        var members = Members;
        foreach (var (node, theirs) in other.Members)
            members = members.SetItem(node, members.TryGetValue(node, out var mine) ? Membership.Member.HighestPriority(mine, theirs) : theirs);
        members = members.RemoveRange(tombstones.Keys);
        return new Gossip(members, Reachability.Merge(other.Reachability).Remove(tombstones.Keys), Version.Merge(other.Version), [], tombstones);
    }

    /// <summary>Drops tombstones older than <see cref="TombstoneLifetime"/>.</summary>
    public Gossip PruneTombstones(DateTimeOffset now)
    {
        var old = Tombstones.Where(t => now - t.Value > TombstoneLifetime).Select(t => t.Key).ToList();
        return old.Count == 0 ? this : this with { Tombstones = Tombstones.RemoveRange(old) };
    }

    internal static string VersionKey(UniqueAddress node) => node.ToString();
}

using System.Collections.Immutable;

namespace ActorTasks.Cluster.Membership;

/// <summary>
/// Which members each observer cannot reach. Each observer owns its row and bumps the row's version on every change,
/// so merging two views keeps, per observer, the newer row — a node that becomes reachable again is not resurrected
/// as unreachable by old gossip.
/// </summary>
public sealed class Reachability
{
    /// <summary>One observer's view: a version and the members it cannot reach.</summary>
    public sealed record Row(long Version, ImmutableHashSet<UniqueAddress> Unreachable);

    public static readonly Reachability Empty = new(ImmutableDictionary<UniqueAddress, Row>.Empty);

    private Reachability(ImmutableDictionary<UniqueAddress, Row> rows) => Rows = rows;

    public ImmutableDictionary<UniqueAddress, Row> Rows { get; }

    public static Reachability From(IEnumerable<KeyValuePair<UniqueAddress, Row>> rows) => new(rows.ToImmutableDictionary());

    /// <summary>Members some observer cannot reach.</summary>
    public ImmutableHashSet<UniqueAddress> AllUnreachable =>
        Rows.Values.Aggregate(ImmutableHashSet<UniqueAddress>.Empty, (all, row) => all.Union(row.Unreachable));

    /// <summary>Members <paramref name="observer"/> cannot reach.</summary>
    public ImmutableHashSet<UniqueAddress> UnreachableFrom(UniqueAddress observer) =>
        Rows.TryGetValue(observer, out var row) ? row.Unreachable : [];

    public bool IsReachable(UniqueAddress node) => !Rows.Values.Any(r => r.Unreachable.Contains(node));

    public Reachability Unreachable(UniqueAddress observer, UniqueAddress subject) => Change(observer, row => row.Add(subject));

    public Reachability Reachable(UniqueAddress observer, UniqueAddress subject) => Change(observer, row => row.Remove(subject));

    private Reachability Change(UniqueAddress observer, Func<ImmutableHashSet<UniqueAddress>, ImmutableHashSet<UniqueAddress>> change)
    {
        var row = Rows.GetValueOrDefault(observer) ?? new Row(0, []);
        var changed = change(row.Unreachable);
        return changed == row.Unreachable ? this : new Reachability(Rows.SetItem(observer, new Row(row.Version + 1, changed)));
    }

    /// <summary>Per observer, the newer row.</summary>
    public Reachability Merge(Reachability other)
    {
        var rows = Rows;
        foreach (var (observer, row) in other.Rows)
        {
            if (!rows.TryGetValue(observer, out var mine) || row.Version > mine.Version) rows = rows.SetItem(observer, row);
        }
        return new Reachability(rows);
    }

    /// <summary>Forgets <paramref name="nodes"/>, as observers and as subjects (they left or were removed).</summary>
    public Reachability Remove(IEnumerable<UniqueAddress> nodes)
    {
        var gone = nodes.ToHashSet();
        if (gone.Count == 0) return this;
        var rows = Rows.RemoveRange(gone);
        foreach (var (observer, row) in rows)
        {
            if (row.Unreachable.Overlaps(gone)) rows = rows.SetItem(observer, row with { Unreachable = row.Unreachable.Except(gone) });
        }
        return new Reachability(rows);
    }
}

using System.Collections.Immutable;

namespace ActorTasks.Cluster.Membership;

/// <summary>How two versions relate: the same, one before the other, or concurrent (each has changes the other lacks).</summary>
public enum VectorClockOrder
{
    Same,
    Before,
    After,
    Concurrent,
}

/// <summary>A version of the gossip: a counter per node that changed it. Immutable.</summary>
public sealed class VectorClock
{
    public static readonly VectorClock Empty = new(ImmutableSortedDictionary<string, long>.Empty.WithComparers(StringComparer.Ordinal));

    private VectorClock(ImmutableSortedDictionary<string, long> versions) => Versions = versions;

    /// <summary>The counter of each node that ever changed this version.</summary>
    public ImmutableSortedDictionary<string, long> Versions { get; }

    public static VectorClock From(IEnumerable<KeyValuePair<string, long>> versions) =>
        new(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, versions));

    /// <summary>This version, changed once more by <paramref name="node"/>.</summary>
    public VectorClock Increment(string node) => new(Versions.SetItem(node, Versions.GetValueOrDefault(node) + 1));

    /// <summary>The smallest version that both this and <paramref name="other"/> are before or equal to.</summary>
    public VectorClock Merge(VectorClock other)
    {
        var merged = Versions;
        foreach (var (node, counter) in other.Versions)
        {
            if (counter > merged.GetValueOrDefault(node)) merged = merged.SetItem(node, counter);
        }
        return new VectorClock(merged);
    }

    public VectorClockOrder CompareTo(VectorClock other)
    {
        bool less = false, greater = false;
        foreach (var node in Versions.Keys.Union(other.Versions.Keys))
        {
            var a = Versions.GetValueOrDefault(node);
            var b = other.Versions.GetValueOrDefault(node);
            if (a < b) less = true;
            else if (a > b) greater = true;
        }
        return (less, greater) switch
        {
            (false, false) => VectorClockOrder.Same,
            (true, false) => VectorClockOrder.Before,
            (false, true) => VectorClockOrder.After,
            _ => VectorClockOrder.Concurrent,
        };
    }

    public override string ToString() => "{" + string.Join(", ", Versions.Select(v => $"{v.Key}={v.Value}")) + "}";
}

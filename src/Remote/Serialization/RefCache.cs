using System.Runtime.CompilerServices;
using ActorTasks.Actor;

namespace ActorTasks.Remote.Serialization;

/// <summary>
/// Recently resolved actor refs by wire path, so that the paths of a steady stream of messages are parsed and looked
/// up once, not per message. A ref that has terminated is never returned (its path is resolved again). A fixed number
/// of slots, each replaced on a collision: bounded whatever a peer sends.
/// </summary>
/// <remarks>
/// Keyed by string instance, not content: the paths come from <see cref="Utf8Interner"/>, which hands out one instance
/// per path, and hashing an instance is far cheaper than hashing a path. Another instance of the same text is a miss.
/// </remarks>
internal sealed class RefCache
{
    private readonly Entry?[] _slots;

    /// <summary>A cache with 2^<paramref name="slotBits"/> slots.</summary>
    public RefCache(int slotBits = 10) => _slots = new Entry?[1 << slotBits];

    public bool TryGet(string path, out IActorRef actorRef)
    {
        // Lock-free like Utf8Interner: entries are immutable and published whole.
        var entry = Volatile.Read(ref _slots[Index(path)]);
        if (entry is not null && ReferenceEquals(entry.Path, path) && entry.Ref is not IInternalActorRef { IsTerminated: true })
        {
            actorRef = entry.Ref;
            return true;
        }
        actorRef = null!;
        return false;
    }

    public void Add(string path, IActorRef actorRef) => Volatile.Write(ref _slots[Index(path)], new Entry(path, actorRef));

    private int Index(string path) => RuntimeHelpers.GetHashCode(path) & (_slots.Length - 1);

    private sealed record Entry(string Path, IActorRef Ref);
}

using System.Runtime.CompilerServices;
using System.Text;

namespace ActorTasks.Remote.Serialization;

/// <summary>
/// The sending side's counterpart of <see cref="Utf8Interner"/>: the UTF-8 bytes of strings that go into envelope
/// after envelope as the same instance (a remote ref's wire path, a local sender's, a manifest), so that they are
/// encoded once instead of counted and encoded per message. Found by reference, not by value, so a lookup costs no
/// hashing of the text. A string is encoded and kept on its second sighting in its slot: a string seen once (an ask's
/// temporary path, made anew for each ask) is written from its text and costs nothing here. A fixed number of slots,
/// each replaced on a collision.
/// </summary>
internal sealed class Utf8Encodings
{
    // Longer strings are encoded each time rather than kept.
    private const int MaxCachedChars = 256;

    private readonly string?[] _seen;
    private readonly Entry?[] _encoded;

    /// <summary>A cache with 2^<paramref name="slotBits"/> slots.</summary>
    public Utf8Encodings(int slotBits = 10)
    {
        _seen = new string?[1 << slotBits];
        _encoded = new Entry?[1 << slotBits];
    }

    /// <summary><paramref name="text"/> as an envelope field, with its bytes if this cache has them.</summary>
    public WireString Get(string text)
    {
        if (text.Length == 0 || text.Length > MaxCachedChars) return new WireString(text, null);
        var index = RuntimeHelpers.GetHashCode(text) & (_encoded.Length - 1);
        // Many threads read and replace slots without a lock: an entry is immutable and published whole, and a lost
        // race only costs an encoding.
        var entry = Volatile.Read(ref _encoded[index]);
        if (entry is not null && ReferenceEquals(entry.Text, text)) return new WireString(text, entry.Bytes);
        if (!ReferenceEquals(Volatile.Read(ref _seen[index]), text))
        {
            Volatile.Write(ref _seen[index], text);
            return new WireString(text, null);
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        Volatile.Write(ref _encoded[index], new Entry(text, bytes));
        return new WireString(text, bytes);
    }

    private sealed record Entry(string Text, byte[] Bytes);
}

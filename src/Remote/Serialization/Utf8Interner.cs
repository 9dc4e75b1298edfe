using System.Text;

namespace ActorTasks.Remote.Serialization;

/// <summary>
/// Turns the UTF-8 strings of incoming envelopes (paths, manifests) into .NET strings, returning the same string
/// instance for bytes seen recently, so that a steady stream of messages between the same actors decodes and
/// allocates no strings. A fixed number of slots, each replaced on a collision: bounded whatever a peer sends.
/// </summary>
internal sealed class Utf8Interner
{
    // Longer strings are decoded each time rather than kept.
    private const int MaxCachedBytes = 256;

    // Invalid UTF-8 throws (DecoderFallbackException) rather than turning into replacement characters, as protobuf does.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Entry?[] _slots;

    /// <summary>An interner with 2^<paramref name="slotBits"/> slots.</summary>
    public Utf8Interner(int slotBits = 10) => _slots = new Entry?[1 << slotBits];

    /// <summary>The string for <paramref name="utf8"/>; throws <see cref="DecoderFallbackException"/> for invalid UTF-8.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return "";
        if (utf8.Length > MaxCachedBytes) return StrictUtf8.GetString(utf8);
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var index = hash.ToHashCode() & (_slots.Length - 1);
        // Many threads read and replace slots without a lock: an entry is immutable and published whole, so a reader
        // sees either the old entry or the new one, and a lost race only costs a decode.
        var entry = Volatile.Read(ref _slots[index]);
        if (entry is not null && utf8.SequenceEqual(entry.Bytes)) return entry.Text;
        var text = StrictUtf8.GetString(utf8);
        Volatile.Write(ref _slots[index], new Entry(utf8.ToArray(), text));
        return text;
    }

    private sealed record Entry(byte[] Bytes, string Text);
}

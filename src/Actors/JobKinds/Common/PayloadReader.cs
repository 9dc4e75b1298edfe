using System.Buffers.Binary;
using System.Text;

namespace ActorTasks.Tasks.JobKinds.Common;

/// <summary>Reads payloads written by <see cref="PayloadWriter"/>; a short or malformed payload fails naming what was being read.</summary>
internal ref struct PayloadReader(ReadOnlySpan<byte> payload, string what)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private readonly string _what = what;
    private int _position;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool AtEnd => _position == _payload.Length;

    /// <summary>How many bytes are left to read.</summary>
    public readonly int Remaining => _payload.Length - _position;

    public byte ReadByte() => Take(1)[0];

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public ulong ReadVarUInt64()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw Malformed("a varint longer than 10 bytes");
    }

    /// <summary>A count of items that follow, each at least <paramref name="minBytesPerItem"/> long, checked against the bytes left.</summary>
    public int ReadCount(int minBytesPerItem = 1)
    {
        var count = ReadVarUInt64();
        if (count > (ulong)((_payload.Length - _position) / Math.Max(1, minBytesPerItem)))
            throw Malformed($"a count of {count} items that the remaining {_payload.Length - _position} bytes cannot hold");
        return (int)count;
    }

    public ReadOnlySpan<byte> ReadBytes(int length) => Take(length);

    public string ReadString()
    {
        var length = ReadCount();
        try
        {
            return new UTF8Encoding(false, true).GetString(Take(length));
        }
        catch (DecoderFallbackException e)
        {
            throw Malformed("a string that is not UTF-8: " + e.Message);
        }
    }

    /// <summary>Fails unless every byte has been read, so trailing garbage is never ignored.</summary>
    public readonly void ExpectEnd()
    {
        if (!AtEnd)
            throw Malformed($"{_payload.Length - _position} unexpected trailing bytes");
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length < 0 || _payload.Length - _position < length)
            throw Malformed($"it ends after {_payload.Length} bytes while {length} more were expected at byte {_position}");
        var span = _payload.Slice(_position, length);
        _position += length;
        return span;
    }

    private readonly InvalidDataException Malformed(string detail) => new($"malformed {_what} payload: {detail}");
}

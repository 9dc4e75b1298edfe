using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ActorTasks.Tasks.JobKinds.Common;

/// <summary>Writes the compact little-endian binary payloads that the numeric job kinds exchange.</summary>
internal sealed class PayloadWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public PayloadWriter(int initialCapacity = 64) => _buffer = new ArrayBufferWriter<byte>(Math.Max(16, initialCapacity));

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>An unsigned LEB128 varint: small counts take one byte.</summary>
    public void WriteVarUInt64(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        _buffer.Advance(i);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.GetSpan(bytes.Length));
        _buffer.Advance(bytes.Length);
    }

    /// <summary>A UTF-8 string prefixed by its byte length as a varint.</summary>
    public void WriteString(ReadOnlySpan<char> value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt64((ulong)length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    /// <summary>A copy of what was written, sized exactly.</summary>
    public ReadOnlyMemory<byte> ToMemory() => _buffer.WrittenSpan.ToArray();

    /// <summary>A copy of what was written, sized exactly, as an array.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}

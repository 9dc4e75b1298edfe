using System.Buffers;
using System.Buffers.Binary;

namespace ActorTasks.Remote.Transport;

/// <summary>
/// The wire framing: each frame is a 4-byte big-endian unsigned payload length followed by that many payload bytes.
/// A length above the limit is rejected from the 4-byte header alone, before anything is buffered for it.
/// </summary>
internal static class FrameCodec
{
    public const int HeaderSize = 4;

    public enum ReadStatus
    {
        Frame,
        NeedMoreData,
        TooLarge,
    }

    /// <summary>
    /// Takes one frame from the front of <paramref name="buffer"/> (advancing it past the frame), or says that more
    /// data is needed, or that the header announces more than <paramref name="maximumPayload"/> bytes.
    /// </summary>
    public static ReadStatus TryRead(ref ReadOnlySequence<byte> buffer, int maximumPayload, out ReadOnlySequence<byte> payload, out long declaredLength)
    {
        payload = default;
        declaredLength = 0;
        if (buffer.Length < HeaderSize) return ReadStatus.NeedMoreData;
        declaredLength = ReadLength(buffer);
        if (declaredLength > maximumPayload) return ReadStatus.TooLarge;
        if (buffer.Length - HeaderSize < declaredLength) return ReadStatus.NeedMoreData;
        payload = buffer.Slice(HeaderSize, declaredLength);
        buffer = buffer.Slice(payload.End);
        return ReadStatus.Frame;
    }

    /// <summary>Writes the header and payload of one frame into <paramref name="writer"/> (in chunks, for large payloads).</summary>
    public static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload)
    {
        var header = writer.GetSpan(HeaderSize);
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)payload.Length);
        writer.Advance(HeaderSize);
        writer.Write(payload);
    }

    /// <summary>One frame as a new array (header included), for tests and tools.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderSize + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(HeaderSize));
        return frame;
    }

    private static uint ReadLength(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.FirstSpan.Length >= HeaderSize) return BinaryPrimitives.ReadUInt32BigEndian(buffer.FirstSpan);
        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        return BinaryPrimitives.ReadUInt32BigEndian(header);
    }
}

using System.Text;

namespace ActorTasks.Remote.Serialization;

/// <summary>The fields of one wire envelope as read from a frame: spans into the frame, valid only as long as it is.</summary>
internal ref struct EnvelopeFields
{
    public ReadOnlySpan<byte> Recipient;
    public ReadOnlySpan<byte> Sender;
    public ReadOnlySpan<byte> Manifest;
    public ReadOnlySpan<byte> Payload;
    public int SerializerId;
    public bool System;
    public ulong Seq;
}

/// <summary>
/// Writes and reads <c>WireEnvelope</c> (envelope.proto) by hand, in the protobuf wire format the generated class
/// uses, so that the hot path needs no envelope object, no string per path and no copy of the payload. Fields with
/// their default value are left out and fields are written in field-number order, as the generated code does; the
/// reader skips unknown fields and lets a repeated field's last value win, as the generated code does.
/// </summary>
internal static class EnvelopeCodec
{
    private const int WireVarint = 0, WireFixed64 = 1, WireLengthDelimited = 2, WireFixed32 = 5;

    private const uint RecipientTag = 1 << 3 | WireLengthDelimited;
    private const uint SenderTag = 2 << 3 | WireLengthDelimited;
    private const uint SerializerIdTag = 3 << 3 | WireVarint;
    private const uint ManifestTag = 4 << 3 | WireLengthDelimited;
    private const uint PayloadTag = 5 << 3 | WireLengthDelimited;
    private const uint SystemTag = 6 << 3 | WireVarint;
    private const uint SeqTag = 7 << 3 | WireVarint;

    /// <summary>The encoded size of an envelope whose strings take the given UTF-8 byte counts.</summary>
    public static int Size(int recipientBytes, int senderBytes, int serializerId, int manifestBytes, int payloadBytes, bool system, ulong seq)
    {
        long size = LengthDelimitedSize(recipientBytes) + LengthDelimitedSize(senderBytes) + LengthDelimitedSize(manifestBytes)
                    + LengthDelimitedSize(payloadBytes);
        if (serializerId != 0) size += 1 + VarintSize((ulong)(long)serializerId);
        if (system) size += 2;
        if (seq != 0) size += 1 + VarintSize(seq);
        return size > int.MaxValue ? int.MaxValue : (int)size;
    }

    /// <summary>Writes an envelope of exactly <see cref="Size"/> bytes into <paramref name="destination"/>.</summary>
    public static void Write(Span<byte> destination, WireString recipient, WireString sender, int serializerId, WireString manifest,
        ReadOnlySpan<byte> payload, bool system, ulong seq)
    {
        var at = 0;
        at = WriteString(destination, at, RecipientTag, recipient);
        at = WriteString(destination, at, SenderTag, sender);
        if (serializerId != 0)
        {
            destination[at++] = (byte)SerializerIdTag;
            at = WriteVarint(destination, at, (ulong)(long)serializerId);
        }
        at = WriteString(destination, at, ManifestTag, manifest);
        if (!payload.IsEmpty)
        {
            destination[at++] = (byte)PayloadTag;
            at = WriteVarint(destination, at, (ulong)payload.Length);
            payload.CopyTo(destination[at..]);
            at += payload.Length;
        }
        if (system)
        {
            destination[at++] = (byte)SystemTag;
            destination[at++] = 1;
        }
        if (seq != 0)
        {
            destination[at++] = (byte)SeqTag;
            at = WriteVarint(destination, at, seq);
        }
        if (at != destination.Length) throw new InvalidOperationException($"envelope size mismatch: wrote {at} of {destination.Length} bytes");
    }

    /// <summary>Reads the fields of one envelope; a <see cref="FormatException"/> says why the bytes are not one.</summary>
    public static EnvelopeFields Read(ReadOnlySpan<byte> frame)
    {
        var fields = default(EnvelopeFields);
        var at = 0;
        while (at < frame.Length)
        {
            var tag = ReadVarint(frame, ref at);
            if (tag >> 3 == 0 || tag > uint.MaxValue) throw new FormatException($"invalid field tag {tag}");
            switch ((uint)tag)
            {
                case RecipientTag: fields.Recipient = ReadLengthDelimited(frame, ref at); break;
                case SenderTag: fields.Sender = ReadLengthDelimited(frame, ref at); break;
                case SerializerIdTag: fields.SerializerId = (int)ReadVarint(frame, ref at); break;
                case ManifestTag: fields.Manifest = ReadLengthDelimited(frame, ref at); break;
                case PayloadTag: fields.Payload = ReadLengthDelimited(frame, ref at); break;
                case SystemTag: fields.System = ReadVarint(frame, ref at) != 0; break;
                case SeqTag: fields.Seq = ReadVarint(frame, ref at); break;
                default: Skip(frame, ref at, (int)(tag & 7)); break;
            }
        }
        return fields;
    }

    private static void Skip(ReadOnlySpan<byte> frame, ref int at, int wireType)
    {
        switch (wireType)
        {
            case WireVarint: ReadVarint(frame, ref at); break;
            case WireFixed64: Advance(frame, ref at, 8); break;
            case WireLengthDelimited: ReadLengthDelimited(frame, ref at); break;
            case WireFixed32: Advance(frame, ref at, 4); break;
            default: throw new FormatException($"unsupported wire type {wireType}");
        }
    }

    private static void Advance(ReadOnlySpan<byte> frame, ref int at, int count)
    {
        if (frame.Length - at < count) throw new FormatException("truncated field");
        at += count;
    }

    private static ReadOnlySpan<byte> ReadLengthDelimited(ReadOnlySpan<byte> frame, scoped ref int at)
    {
        var length = ReadVarint(frame, ref at);
        if (length > (ulong)(frame.Length - at)) throw new FormatException($"a field of {length} bytes runs past the end of the frame");
        var value = frame.Slice(at, (int)length);
        at += (int)length;
        return value;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> frame, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (at >= frame.Length) throw new FormatException("truncated varint");
            var b = frame[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new FormatException("a varint longer than 10 bytes");
    }

    private static int LengthDelimitedSize(int length) => length == 0 ? 0 : 1 + VarintSize((ulong)length) + length;

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    private static int WriteString(Span<byte> destination, int at, uint tag, in WireString value)
    {
        if (value.ByteCount == 0) return at;
        destination[at++] = (byte)tag;
        at = WriteVarint(destination, at, (ulong)value.ByteCount);
        return at + value.WriteTo(destination[at..]);
    }

    private static int WriteVarint(Span<byte> destination, int at, ulong value)
    {
        while (value >= 0x80)
        {
            destination[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[at++] = (byte)value;
        return at;
    }
}

/// <summary>
/// A string field of an envelope: its UTF-8 bytes when a cache had them (see <see cref="Utf8Encodings"/>), otherwise
/// the text, encoded as it is written. Its byte count is known from the start, for the envelope's size.
/// </summary>
internal readonly struct WireString
{
    private readonly string _text;
    private readonly byte[]? _utf8;

    public WireString(string text, byte[]? utf8)
    {
        _text = text;
        _utf8 = utf8;
        ByteCount = utf8?.Length ?? Encoding.UTF8.GetByteCount(text);
    }

    public int ByteCount { get; }

    /// <summary>True when the bytes came from a cache (nothing is encoded as the field is written).</summary>
    public bool IsEncoded => _utf8 is not null;

    public static implicit operator WireString(string text) => new(text, null);

    /// <summary>Writes the UTF-8 bytes to the start of <paramref name="destination"/>; returns <see cref="ByteCount"/>.</summary>
    public int WriteTo(Span<byte> destination)
    {
        if (_utf8 is null) return Encoding.UTF8.GetBytes(_text, destination);
        _utf8.CopyTo(destination);
        return _utf8.Length;
    }
}

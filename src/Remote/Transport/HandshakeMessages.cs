using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ActorTasks.Remote.Transport;

[Flags]
internal enum HandshakeFlags : byte
{
    None = 0,
    SecretConfigured = 1,
}

internal enum HandshakeMessageType : byte
{
    Hello = 1,
    Challenge = 2,
    Proof = 3,
    Accept = 4,
    Reject = 5,
}

/// <summary>Dialer to acceptor, first: who I am, and a fresh nonce.</summary>
internal sealed record Hello(ushort Version, HandshakeFlags Flags, NodeIdentity Identity, byte[] Nonce);

/// <summary>Acceptor to dialer: who I am, my fresh nonce, and my MAC over both (the MAC is the last 32 bytes).</summary>
internal sealed record Challenge(ushort Version, HandshakeFlags Flags, NodeIdentity Identity, byte[] Nonce, byte[] Mac);

/// <summary>
/// Encodes and decodes the handshake messages, each the payload of one frame (all integers big-endian):
/// <code>
/// identity  = u8 len, system name (UTF-8) | u8 len, host (UTF-8) | u16 port | i64 uid
/// Hello     = 0x01 | "ATRT" | u16 version | u8 flags | identity | nonce[32]
/// Challenge = 0x02 | u16 version | u8 flags | identity | nonce[32] | mac[32]
/// Proof     = 0x03 | mac[32]
/// Accept    = 0x04
/// Reject    = 0x05 | u8 code | u8 len, reason (UTF-8)
/// </code>
/// flags bit 0: the sender has a secret configured (used only to word the log line on a mismatch).
/// </summary>
internal static class HandshakeMessages
{
    public const int NonceSize = 32;
    public const int MacSize = 32;
    public const int MaxMessageSize = 1024;
    public static ReadOnlySpan<byte> Magic => "ATRT"u8;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] EncodeHello(Hello hello)
    {
        var writer = new ArrayBufferWriter<byte>(128);
        WriteByte(writer, (byte)HandshakeMessageType.Hello);
        writer.Write(Magic);
        WriteUInt16(writer, hello.Version);
        WriteByte(writer, (byte)hello.Flags);
        WriteIdentity(writer, hello.Identity);
        writer.Write(hello.Nonce);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>The Challenge without its MAC: the part the MAC covers.</summary>
    public static byte[] EncodeChallengeBody(ushort version, HandshakeFlags flags, NodeIdentity identity, byte[] nonce)
    {
        var writer = new ArrayBufferWriter<byte>(128);
        WriteByte(writer, (byte)HandshakeMessageType.Challenge);
        WriteUInt16(writer, version);
        WriteByte(writer, (byte)flags);
        WriteIdentity(writer, identity);
        writer.Write(nonce);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] EncodeProof(ReadOnlySpan<byte> mac) => [(byte)HandshakeMessageType.Proof, .. mac];

    public static byte[] EncodeAccept() => [(byte)HandshakeMessageType.Accept];

    public static byte[] EncodeReject(RejectCode code, string reason)
    {
        while (Encoding.UTF8.GetByteCount(reason) > byte.MaxValue) reason = reason[..^1];
        var text = Encoding.UTF8.GetBytes(reason);
        return [(byte)HandshakeMessageType.Reject, (byte)code, (byte)text.Length, .. text];
    }

    public static HandshakeMessageType TypeOf(ReadOnlySpan<byte> message) =>
        message.IsEmpty ? throw Malformed("empty handshake message") : (HandshakeMessageType)message[0];

    public static Hello DecodeHello(ReadOnlySpan<byte> message)
    {
        var reader = new Reader(message);
        Expect(ref reader, HandshakeMessageType.Hello);
        if (!reader.Take(Magic.Length).SequenceEqual(Magic)) throw Malformed("not an ActorTasks transport handshake (bad magic)");
        var hello = new Hello(reader.UInt16(), (HandshakeFlags)reader.Byte(), ReadIdentity(ref reader), reader.Take(NonceSize).ToArray());
        reader.End();
        return hello;
    }

    public static Challenge DecodeChallenge(ReadOnlySpan<byte> message)
    {
        var reader = new Reader(message);
        Expect(ref reader, HandshakeMessageType.Challenge);
        var challenge = new Challenge(reader.UInt16(), (HandshakeFlags)reader.Byte(), ReadIdentity(ref reader),
            reader.Take(NonceSize).ToArray(), reader.Take(MacSize).ToArray());
        reader.End();
        return challenge;
    }

    public static byte[] DecodeProof(ReadOnlySpan<byte> message)
    {
        var reader = new Reader(message);
        Expect(ref reader, HandshakeMessageType.Proof);
        var mac = reader.Take(MacSize).ToArray();
        reader.End();
        return mac;
    }

    public static void DecodeAccept(ReadOnlySpan<byte> message)
    {
        var reader = new Reader(message);
        Expect(ref reader, HandshakeMessageType.Accept);
        reader.End();
    }

    public static (RejectCode Code, string Reason) DecodeReject(ReadOnlySpan<byte> message)
    {
        var reader = new Reader(message);
        Expect(ref reader, HandshakeMessageType.Reject);
        var code = (RejectCode)reader.Byte();
        var reason = reader.String();
        reader.End();
        return (code, Sanitize(reason));
    }

    private static void Expect(ref Reader reader, HandshakeMessageType type)
    {
        var actual = reader.Byte();
        if (actual != (byte)type) throw Malformed($"expected a {type} message but received type {actual}");
    }

    private static NodeIdentity ReadIdentity(ref Reader reader)
    {
        var system = reader.String();
        var host = reader.String();
        var port = reader.UInt16();
        var uid = reader.Int64();
        if (system.Length == 0 || host.Length == 0 || port == 0) throw Malformed("identity with an empty system name, empty host or port 0");
        if (ContainsControl(system) || ContainsControl(host)) throw Malformed("identity with control characters");
        return new NodeIdentity(system, host, port, uid);
    }

    private static void WriteIdentity(ArrayBufferWriter<byte> writer, NodeIdentity identity)
    {
        WriteString(writer, identity.SystemName);
        WriteString(writer, identity.Host);
        WriteUInt16(writer, checked((ushort)identity.Port));
        BinaryPrimitives.WriteInt64BigEndian(writer.GetSpan(8), identity.Uid);
        writer.Advance(8);
    }

    private static void WriteString(ArrayBufferWriter<byte> writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > byte.MaxValue) throw new ArgumentException($"'{value}' is longer than {byte.MaxValue} bytes");
        WriteByte(writer, (byte)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteByte(ArrayBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    private static void WriteUInt16(ArrayBufferWriter<byte> writer, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(writer.GetSpan(2), value);
        writer.Advance(2);
    }

    private static bool ContainsControl(string value) => value.Any(char.IsControl);

    // A refusal reason from an unauthenticated peer goes into our log: keep it printable.
    private static string Sanitize(string value) => ContainsControl(value) ? new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray()) : value;

    private static HandshakeException Malformed(string what) => new($"malformed handshake: {what}", RejectCode.Protocol);

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public ReadOnlySpan<byte> Take(int count)
        {
            if (_rest.Length < count) throw Malformed("message truncated");
            var taken = _rest[..count];
            _rest = _rest[count..];
            return taken;
        }

        public byte Byte() => Take(1)[0];

        public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

        public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

        public string String()
        {
            var bytes = Take(Byte());
            try
            {
                return s_strictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Malformed("invalid UTF-8");
            }
        }

        public readonly void End()
        {
            if (!_rest.IsEmpty) throw Malformed($"{_rest.Length} unexpected trailing bytes");
        }
    }
}

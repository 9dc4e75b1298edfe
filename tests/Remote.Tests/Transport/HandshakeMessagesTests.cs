using ActorTasks.Remote.Transport;
using Xunit;

namespace ActorTasks.Remote.Tests.Transport;

public sealed class HandshakeMessagesTests
{
    private static readonly NodeIdentity Node = new("tasks", "127.0.0.1", 4053, -123456789);

    [Fact]
    public void Hello_round_trips_with_the_identity_the_version_and_the_nonce()
    {
        var nonce = Enumerable.Range(0, HandshakeMessages.NonceSize).Select(i => (byte)i).ToArray();
        var hello = new Hello(Handshake.ProtocolVersion, HandshakeFlags.SecretConfigured, Node, nonce);

        var decoded = HandshakeMessages.DecodeHello(HandshakeMessages.EncodeHello(hello));

        Assert.Equal(hello.Identity, decoded.Identity);
        Assert.Equal(hello.Version, decoded.Version);
        Assert.Equal(hello.Flags, decoded.Flags);
        Assert.Equal(nonce, decoded.Nonce);
    }

    [Fact]
    public void A_reject_round_trips_and_control_characters_in_its_reason_are_neutralised()
    {
        var (code, reason) = HandshakeMessages.DecodeReject(HandshakeMessages.EncodeReject(RejectCode.Version, "bad\nline"));

        Assert.Equal(RejectCode.Version, code);
        Assert.Equal("bad?line", reason);
    }

    [Fact]
    public void Random_bytes_and_truncations_fail_only_as_malformed_handshakes()
    {
        var random = new Random(4053);
        var valid = HandshakeMessages.EncodeHello(new Hello(1, HandshakeFlags.None, Node, new byte[HandshakeMessages.NonceSize]));
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = i % 2 == 0 ? RandomBytes(random) : Mutate(valid, random);
            foreach (var decode in Decoders)
            {
                try
                {
                    decode(bytes);
                }
                catch (HandshakeException e)
                {
                    Assert.Equal(RejectCode.Protocol, e.Code);
                }
            }
        }
    }

    private static readonly Action<byte[]>[] Decoders =
    [
        b => HandshakeMessages.DecodeHello(b),
        b => HandshakeMessages.DecodeChallenge(b),
        b => HandshakeMessages.DecodeProof(b),
        b => HandshakeMessages.DecodeAccept(b),
        b => HandshakeMessages.DecodeReject(b),
    ];

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 120)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = valid[..random.Next(0, valid.Length + 1)];
        if (bytes.Length > 0) bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
        return bytes;
    }
}

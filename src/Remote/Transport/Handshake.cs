using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;

namespace ActorTasks.Remote.Transport;

/// <summary>
/// The connection handshake, run once per connection before any frame is delivered. The dialer sends Hello (its
/// identity and a fresh nonce); the acceptor answers Challenge (its identity, its own fresh nonce, and an HMAC-SHA256
/// keyed with the shared secret over the Hello, the Challenge and the TLS server certificate's hash); the dialer
/// checks it and answers Proof (its own HMAC over the same bytes, with another label); the acceptor checks that and
/// answers Accept or Reject. The secret itself never crosses the wire, and since each side's MAC covers the other's
/// fresh nonce, a recorded handshake replayed on a new connection fails. With no secret on either side the key is
/// empty: identities are still exchanged, and a node without a secret refuses a peer that has one (and vice versa).
/// </summary>
internal sealed class Handshake
{
    public const ushort ProtocolVersion = 1;

    private static ReadOnlySpan<byte> AcceptorLabel => "ActorTasks transport v1 acceptor proof\0"u8;
    private static ReadOnlySpan<byte> DialerLabel => "ActorTasks transport v1 dialer proof\0"u8;

    private readonly NodeIdentity _local;
    private readonly byte[] _key;
    private readonly HandshakeFlags _flags;

    public Handshake(NodeIdentity local, string? secret)
    {
        _local = local;
        _key = string.IsNullOrEmpty(secret) ? [] : Encoding.UTF8.GetBytes(secret);
        _flags = _key.Length > 0 ? HandshakeFlags.SecretConfigured : HandshakeFlags.None;
    }

    /// <summary>Runs the dialer's side against the node expected at <paramref name="expected"/>; returns the peer's identity once it accepted.</summary>
    public async Task<NodeIdentity> DialAsync(PipeReader input, PipeWriter output, PeerAddress expected, byte[] tlsBinding, CancellationToken cancellationToken)
    {
        var hello = HandshakeMessages.EncodeHello(new Hello(ProtocolVersion, _flags, _local, RandomNumberGenerator.GetBytes(HandshakeMessages.NonceSize)));
        await WriteAsync(output, hello, cancellationToken).ConfigureAwait(false);

        var reply = await ReadAsync(input, cancellationToken, closedEarly:
            "the peer closed the connection without answering the handshake (a TLS node does this to a plain one: check actortasks.remote.tls on both; an overloaded node does it too)").ConfigureAwait(false);
        ThrowIfRejected(reply, HandshakeFlags.None);
        var challenge = HandshakeMessages.DecodeChallenge(reply);
        if (challenge.Version != ProtocolVersion)
            await RefuseAsync(output, RejectCode.Version, UnsupportedVersion(challenge.Version), cancellationToken).ConfigureAwait(false);
        if (!challenge.Identity.Address.Equals(expected))
            await RefuseAsync(output, RejectCode.Identity, $"dialed {expected} but the node there identifies as {challenge.Identity}", cancellationToken).ConfigureAwait(false);

        var body = reply.AsSpan(0, reply.Length - HandshakeMessages.MacSize).ToArray();
        if (!CryptographicOperations.FixedTimeEquals(challenge.Mac, Mac(AcceptorLabel, hello, body, tlsBinding)))
            await RefuseAsync(output, RejectCode.Authentication, SecretMismatch(challenge.Flags), cancellationToken).ConfigureAwait(false);
        await WriteAsync(output, HandshakeMessages.EncodeProof(Mac(DialerLabel, hello, body, tlsBinding)), cancellationToken).ConfigureAwait(false);

        var verdict = await ReadAsync(input, cancellationToken).ConfigureAwait(false);
        ThrowIfRejected(verdict, challenge.Flags);
        HandshakeMessages.DecodeAccept(verdict);
        return challenge.Identity;
    }

    /// <summary>
    /// Runs the acceptor's side. Once the dialer has proven the secret, <paramref name="admit"/> decides (and records)
    /// whether this connection is kept, returning null to keep it or the refusal to send; Accept is sent after it.
    /// </summary>
    public async Task<NodeIdentity> AcceptAsync(PipeReader input, PipeWriter output, byte[] tlsBinding,
        Func<NodeIdentity, (RejectCode Code, string Reason)?> admit, CancellationToken cancellationToken)
    {
        var hello = await ReadAsync(input, cancellationToken).ConfigureAwait(false);
        var peer = HandshakeMessages.DecodeHello(hello);
        if (peer.Version != ProtocolVersion)
            await RefuseAsync(output, RejectCode.Version, UnsupportedVersion(peer.Version), cancellationToken).ConfigureAwait(false);
        if (peer.Identity.Address.Equals(_local.Address))
            await RefuseAsync(output, RejectCode.Identity, $"the peer claims this node's own address {_local.Address}", cancellationToken).ConfigureAwait(false);

        var body = HandshakeMessages.EncodeChallengeBody(ProtocolVersion, _flags, _local, RandomNumberGenerator.GetBytes(HandshakeMessages.NonceSize));
        await WriteAsync(output, [.. body, .. Mac(AcceptorLabel, hello, body, tlsBinding)], cancellationToken).ConfigureAwait(false);

        var proof = await ReadAsync(input, cancellationToken).ConfigureAwait(false);
        ThrowIfRejected(proof, peer.Flags);
        if (!CryptographicOperations.FixedTimeEquals(HandshakeMessages.DecodeProof(proof), Mac(DialerLabel, hello, body, tlsBinding)))
            await RefuseAsync(output, RejectCode.Authentication, SecretMismatch(peer.Flags), cancellationToken).ConfigureAwait(false);

        if (admit(peer.Identity) is { } refusal) await RefuseAsync(output, refusal.Code, refusal.Reason, cancellationToken).ConfigureAwait(false);
        await WriteAsync(output, HandshakeMessages.EncodeAccept(), cancellationToken).ConfigureAwait(false);
        return peer.Identity;
    }

    private byte[] Mac(ReadOnlySpan<byte> label, byte[] hello, byte[] challengeBody, byte[] tlsBinding) =>
        HMACSHA256.HashData(_key, (byte[])[.. label, .. hello, .. challengeBody, .. tlsBinding]);

    private string SecretMismatch(HandshakeFlags peerFlags)
    {
        var ours = _flags.HasFlag(HandshakeFlags.SecretConfigured);
        var theirs = peerFlags.HasFlag(HandshakeFlags.SecretConfigured);
        var detail = (ours, theirs) switch
        {
            (true, false) => "this node has one, the peer has none",
            (false, true) => "this node has none, the peer has one",
            (true, true) => "the two secrets differ (or the handshake was replayed)",
            _ => "neither node has one, yet the proof failed",
        };
        return $"the shared secret (actortasks.remote.secret) does not match: {detail}";
    }

    private static string UnsupportedVersion(ushort version) =>
        $"protocol version {version} is not supported (this node speaks version {ProtocolVersion})";

    private void ThrowIfRejected(byte[] message, HandshakeFlags peerFlags)
    {
        if (HandshakeMessages.TypeOf(message) != HandshakeMessageType.Reject) return;
        var (code, reason) = HandshakeMessages.DecodeReject(message);
        // The refusing peer words it from its side; an authentication refusal is reworded from ours, so the line names
        // which node lacks the secret.
        var text = code == RejectCode.Authentication ? SecretMismatch(peerFlags) : reason;
        throw new HandshakeException($"refused by the peer: {text}", code, refusedByPeer: true);
    }

    /// <summary>Sends a Reject (best effort) and throws; the caller closes the connection and logs.</summary>
    private static async Task RefuseAsync(PipeWriter output, RejectCode code, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(output, HandshakeMessages.EncodeReject(code, reason), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer may be gone already; the refusal stands either way.
        }
        throw new HandshakeException(reason, code);
    }

    private static async Task WriteAsync(PipeWriter output, byte[] message, CancellationToken cancellationToken)
    {
        FrameCodec.Write(output, message);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one handshake message; its frame may be at most <see cref="HandshakeMessages.MaxMessageSize"/> bytes.</summary>
    private static async Task<byte[]> ReadAsync(PipeReader input, CancellationToken cancellationToken,
        string closedEarly = "the peer closed the connection during the handshake")
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = FrameCodec.TryRead(ref buffer, HandshakeMessages.MaxMessageSize, out var payload, out var length);
            switch (status)
            {
                case FrameCodec.ReadStatus.Frame:
                    var message = payload.ToArray();
                    input.AdvanceTo(buffer.Start);
                    if (message.Length == 0) throw new HandshakeException("malformed handshake: empty message", RejectCode.Protocol);
                    return message;
                case FrameCodec.ReadStatus.TooLarge:
                    throw new HandshakeException(LooksLikeTls(result.Buffer)
                        ? "the peer speaks TLS but TLS is not enabled on this node (actortasks.remote.tls.certificate-path)"
                        : $"malformed handshake: a frame of {length} bytes (at most {HandshakeMessages.MaxMessageSize} allowed)", RejectCode.Protocol);
            }
            if (result.IsCompleted) throw new HandshakeException(closedEarly, RejectCode.Protocol);
            if (result.IsCanceled) throw new OperationCanceledException(cancellationToken);
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    // A TLS record starts with content type 0x16 (handshake) or 0x15 (alert) and major version 3.
    private static bool LooksLikeTls(ReadOnlySequence<byte> buffer)
    {
        Span<byte> start = stackalloc byte[2];
        if (buffer.Length < 2) return false;
        buffer.Slice(0, 2).CopyTo(start);
        return start[0] is 0x15 or 0x16 && start[1] == 0x03;
    }
}

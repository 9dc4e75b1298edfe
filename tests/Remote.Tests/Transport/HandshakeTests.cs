using System.Buffers;
using ActorTasks.Remote.Tests.Transport.Support;
using ActorTasks.Remote.Transport;
using Serilog.Events;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.Transport;

public sealed class HandshakeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TestNode.Timeout;

    [Fact]
    public async Task Nodes_with_the_same_secret_associate_and_exchange_frames()
    {
        var settings = TransportSettings.Default with { Secret = "s3cret-shared" };
        await using var a = await TestNode.StartAsync(output, "a", settings);
        await using var b = await TestNode.StartAsync(output, "b", settings);

        a.Send(b, TestNode.Frame(0));
        await b.Handler.WaitForFramesAsync(1, Timeout);
        b.Send(a, TestNode.Frame(0));
        await a.Handler.WaitForFramesAsync(1, Timeout);

        await a.Handler.WaitForAssociatedAsync(b.Identity, Timeout);
        await b.Handler.WaitForAssociatedAsync(a.Identity, Timeout);
    }

    [Fact]
    public async Task Nodes_without_a_secret_still_exchange_identities_and_associate()
    {
        await using var a = await TestNode.StartAsync(output, "a");
        await using var b = await TestNode.StartAsync(output, "b");

        a.Send(b, TestNode.Frame(0));
        await b.Handler.WaitForFramesAsync(1, Timeout);

        Assert.Equal(a.Identity, ((TransportEvent.Associated)(await b.Handler.WaitForAssociatedAsync(a.Identity, Timeout))).Peer);
        Assert.Equal(b.Identity, ((TransportEvent.Associated)(await a.Handler.WaitForAssociatedAsync(b.Identity, Timeout))).Peer);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_on_both_sides_with_one_log_line_each_before_any_frame_is_delivered()
    {
        await using var a = await TestNode.StartAsync(output, "a", WithLongBackoff("alpha"));
        await using var b = await TestNode.StartAsync(output, "b", WithLongBackoff("bravo"));

        await AssertRefusedAsync(a, b, "the two secrets differ");
    }

    [Fact]
    public async Task A_node_without_a_secret_is_refused_by_a_node_with_one()
    {
        await using var a = await TestNode.StartAsync(output, "a", WithLongBackoff(null));
        await using var b = await TestNode.StartAsync(output, "b", WithLongBackoff("bravo"));

        await AssertRefusedAsync(a, b, "this node has none, the peer has one");
        Assert.Equal(1, b.Log.Count(LogEventLevel.Warning, "this node has one, the peer has none"));
    }

    [Fact]
    public async Task A_node_with_a_secret_is_refused_by_a_node_without_one()
    {
        await using var a = await TestNode.StartAsync(output, "a", WithLongBackoff("alpha"));
        await using var b = await TestNode.StartAsync(output, "b", WithLongBackoff(null));

        await AssertRefusedAsync(a, b, "this node has one, the peer has none");
    }

    [Fact]
    public async Task A_replayed_handshake_is_refused_because_the_acceptor_nonce_is_fresh()
    {
        const string Secret = "replay-me";
        await using var node = await TestNode.StartAsync(output, "node", TransportSettings.Default with { Secret = Secret });
        var impostor = new NodeIdentity("impostor", "127.0.0.1", 1, 42);

        byte[] recorded;
        await using (var legit = await RawPeer.ConnectAsync(node.Identity))
        {
            Assert.Equal(node.Identity, await legit.HandshakeAsync(impostor, node.Identity, Secret));
            recorded = legit.Written;
        }
        await node.Handler.WaitForAssociatedAsync(impostor, Timeout);
        var frames = new ReadOnlySequence<byte>(recorded);
        Assert.Equal(FrameCodec.ReadStatus.Frame, FrameCodec.TryRead(ref frames, 1024, out var hello, out _));
        var helloFrame = FrameCodec.Encode(hello.ToArray());
        var proofFrame = frames.ToArray();

        await using var replay = await RawPeer.ConnectAsync(node.Identity);
        Assert.True(await replay.TrySendAsync(helloFrame));
        using var cts = new CancellationTokenSource(Timeout);
        var challenge = await replay.ReadFrameAsync(cts.Token);
        Assert.NotNull(challenge);
        Assert.True(await replay.TrySendAsync(proofFrame));
        var verdict = await replay.ReadFrameAsync(cts.Token);

        Assert.NotNull(verdict);
        Assert.Equal((byte)HandshakeMessageType.Reject, verdict![0]);
        Assert.True(await replay.WaitForCloseAsync(Timeout));
        await node.Log.WaitForAsync(LogEventLevel.Warning, "does not match", Timeout);
        Assert.Equal(1, node.Handler.CountOf<TransportEvent.Associated>());
    }

    [Fact]
    public async Task A_peer_speaking_another_protocol_version_is_refused_with_the_reason()
    {
        await using var node = await TestNode.StartAsync(output, "node");
        await using var peer = await RawPeer.ConnectAsync(node.Identity);
        var hello = HandshakeMessages.EncodeHello(new Hello(Handshake.ProtocolVersion + 1, HandshakeFlags.None,
            new NodeIdentity("future", "127.0.0.1", 9, 9), new byte[HandshakeMessages.NonceSize]));

        Assert.True(await peer.TrySendAsync(FrameCodec.Encode(hello)));
        using var cts = new CancellationTokenSource(Timeout);
        var reply = await peer.ReadFrameAsync(cts.Token);

        Assert.NotNull(reply);
        var (code, reason) = HandshakeMessages.DecodeReject(reply!);
        Assert.Equal(RejectCode.Version, code);
        Assert.Contains("protocol version 2 is not supported", reason);
        Assert.True(await peer.WaitForCloseAsync(Timeout));
        await node.Log.WaitForAsync(LogEventLevel.Warning, "protocol version 2 is not supported", Timeout);
    }

    [Fact]
    public async Task A_silent_connection_is_closed_when_the_handshake_timeout_passes()
    {
        var settings = TransportSettings.Default with { HandshakeTimeout = TimeSpan.FromMilliseconds(300) };
        await using var node = await TestNode.StartAsync(output, "node", settings);

        await using var silent = await RawPeer.ConnectAsync(node.Identity);

        Assert.True(await silent.WaitForCloseAsync(Timeout));
        await node.Log.WaitForAsync(LogEventLevel.Warning, "no complete handshake within 300 ms", Timeout);
    }

    [Fact]
    public async Task A_node_answering_with_another_address_than_the_one_dialed_is_refused()
    {
        var impostorSettings = TransportSettings.Default with { PublicHostname = "localhost" };
        await using var a = await TestNode.StartAsync(output, "a");
        await using var impostor = await TestNode.StartAsync(output, "impostor", impostorSettings);

        Assert.True(a.Transport.TrySend("127.0.0.1", impostor.Identity.Port, TestNode.Frame(0), out _));

        var failed = (TransportEvent.Failed)await a.Handler.Events.WaitForAsync(e => e is TransportEvent.Failed, Timeout, "refusal");
        Assert.Contains("identifies as actortasks://impostor@localhost", failed.Reason);
        Assert.Equal(0, impostor.Handler.FrameCount);
    }

    // Long enough that a send right after the refusal still meets the closed gate, however busy the machine.
    private static TransportSettings WithLongBackoff(string? secret) =>
        TransportSettings.Default with { Secret = secret, ReconnectBackoffMin = TimeSpan.FromSeconds(30), ReconnectBackoffMax = TimeSpan.FromSeconds(30) };

    private static async Task AssertRefusedAsync(TestNode dialer, TestNode acceptor, string dialerDetail)
    {
        Assert.True(dialer.TrySend(acceptor, TestNode.Frame(0), out _)); // queued while the handshake runs

        var failed = (TransportEvent.Failed)await dialer.Handler.Events.WaitForAsync(e => e is TransportEvent.Failed, Timeout, "refusal");
        Assert.Contains(dialerDetail, failed.Reason);
        await dialer.Log.WaitForAsync(LogEventLevel.Warning, "actortasks.remote.secret", Timeout);
        await acceptor.Log.WaitForAsync(LogEventLevel.Warning, "actortasks.remote.secret", Timeout);
        Assert.Equal(1, dialer.Log.Count(LogEventLevel.Warning, "actortasks.remote.secret"));
        Assert.Equal(1, acceptor.Log.Count(LogEventLevel.Warning, "actortasks.remote.secret"));

        Assert.Equal(0, acceptor.Handler.FrameCount);
        Assert.Equal(0, dialer.Handler.CountOf<TransportEvent.Associated>());
        Assert.Equal(0, acceptor.Handler.CountOf<TransportEvent.Associated>());
        Assert.False(dialer.TrySend(acceptor, TestNode.Frame(1), out var failure));
        Assert.Equal(SendFailure.Unreachable, failure);
        foreach (var line in dialer.Log.Lines.Snapshot().Concat(acceptor.Log.Lines.Snapshot()))
        {
            Assert.DoesNotContain("alpha", line.Text);
            Assert.DoesNotContain("bravo", line.Text);
        }
    }
}

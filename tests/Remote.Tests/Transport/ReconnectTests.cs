using ActorTasks.Remote.Tests.Transport.Support;
using ActorTasks.Remote.Transport;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.Transport;

public sealed class ReconnectTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TestNode.Timeout;

    [Fact]
    public async Task After_the_peer_restarts_on_the_same_port_sends_fail_while_it_is_down_then_flow_to_the_new_incarnation()
    {
        // A backoff long enough that "while down" is observable on a busy machine, short enough to keep the test quick.
        var settings = TransportSettings.Default with { ReconnectBackoffMin = TimeSpan.FromSeconds(1), ReconnectBackoffMax = TimeSpan.FromSeconds(2) };
        await using var a = await TestNode.StartAsync(output, "a", settings);
        var b1 = await TestNode.StartAsync(output, "b", settings);
        a.Send(b1, TestNode.Frame(0));
        await b1.Handler.WaitForFramesAsync(1, Timeout);

        await b1.DisposeAsync();
        await a.Handler.Events.WaitForAsync(e => e is TransportEvent.Disassociated d && d.Peer == b1.Identity, Timeout, "a lost b1");
        Assert.False(a.TrySend(b1, TestNode.Frame(1), out var failure));
        Assert.Equal(SendFailure.Unreachable, failure);

        await using var b2 = await TestNode.StartAsync(output, "b", settings with { Port = b1.Identity.Port });
        Assert.NotEqual(b1.Identity.Uid, b2.Identity.Uid);
        await TcpTransportTests.SendUntilAcceptedAsync(a, b2, TestNode.Frame(0));
        for (var i = 1; i < 100; i++) a.Send(b2, TestNode.Frame(i));

        await b2.Handler.WaitForFramesAsync(100, Timeout);
        Assert.Empty(b2.Handler.OrderErrors);
        await a.Handler.Events.WaitForAsync(e => e == new TransportEvent.Restarted(b1.Identity, b2.Identity), Timeout, "restart reported");
        await a.Handler.WaitForAssociatedAsync(b2.Identity, Timeout);
    }

    [Fact]
    public async Task Nodes_dialing_each_other_at_once_end_with_one_connection_that_carries_both_directions()
    {
        for (var round = 0; round < 20; round++)
        {
            await using var a = await TestNode.StartAsync(output, $"a{round}");
            await using var b = await TestNode.StartAsync(output, $"b{round}");
            using var start = new Barrier(2);

            // Own threads, not pool threads: the barrier blocks, and the transports need the pool meanwhile.
            await Task.WhenAll(
                Task.Factory.StartNew(() => SendAfterBarrier(a, b, start), TaskCreationOptions.LongRunning),
                Task.Factory.StartNew(() => SendAfterBarrier(b, a, start), TaskCreationOptions.LongRunning));

            await Task.WhenAll(a.Handler.WaitForFramesAsync(10, Timeout), b.Handler.WaitForFramesAsync(10, Timeout));
            Assert.Empty(a.Handler.OrderErrors);
            Assert.Empty(b.Handler.OrderErrors);
            Assert.Equal(1, a.Handler.CountOf<TransportEvent.Associated>());
            Assert.Equal(1, b.Handler.CountOf<TransportEvent.Associated>());
            Assert.Equal(0, a.Handler.CountOf<TransportEvent.Disassociated>() + a.Handler.CountOf<TransportEvent.Failed>());
            Assert.Equal(0, b.Handler.CountOf<TransportEvent.Disassociated>() + b.Handler.CountOf<TransportEvent.Failed>());

            // Both ends hold the same TCP connection: each one's local end is the other's remote end.
            var fromA = a.Transport.ConnectionTo(b.Identity.Host, b.Identity.Port);
            var fromB = b.Transport.ConnectionTo(a.Identity.Host, a.Identity.Port);
            Assert.NotNull(fromA);
            Assert.NotNull(fromB);
            Assert.Equal(fromA!.LocalEndPoint, fromB!.RemoteEndPoint);
            Assert.Equal(fromA.RemoteEndPoint, fromB.LocalEndPoint);
            Assert.NotEqual(fromA.IsOutbound, fromB.IsOutbound);
        }
    }

    [Fact]
    public async Task A_new_incarnation_dialing_in_replaces_the_live_connection_and_is_reported_as_a_restart()
    {
        await using var node = await TestNode.StartAsync(output, "node");
        var first = new NodeIdentity("peer", "127.0.0.1", 7001, 1);
        var second = first with { Uid = 2 };
        await using var old = await RawPeer.ConnectAsync(node.Identity);
        await old.HandshakeAsync(first, node.Identity, secret: null);
        Assert.True(await old.TrySendAsync(FrameCodec.Encode(TestNode.Frame(0))));
        await node.Handler.WaitForFramesFromAsync(first, 1, Timeout);

        await using var restarted = await RawPeer.ConnectAsync(node.Identity);
        await restarted.HandshakeAsync(second, node.Identity, secret: null);
        Assert.True(await restarted.TrySendAsync(FrameCodec.Encode(TestNode.Frame(0))));

        await node.Handler.WaitForFramesFromAsync(second, 1, Timeout);
        Assert.True(await old.WaitForCloseAsync(Timeout));
        var events = node.Handler.Events.Snapshot();
        Assert.Equal<TransportEvent>(
            [
                new TransportEvent.Associated(first),
                new TransportEvent.Disassociated(first, "the peer restarted with a new uid"),
                new TransportEvent.Restarted(first, second),
                new TransportEvent.Associated(second),
            ], events);
    }

    [Fact]
    public async Task The_same_incarnation_dialing_in_again_replaces_its_connection_quietly()
    {
        await using var node = await TestNode.StartAsync(output, "node");
        var peer = new NodeIdentity("peer", "127.0.0.1", 7002, 5);
        await using var first = await RawPeer.ConnectAsync(node.Identity);
        await first.HandshakeAsync(peer, node.Identity, secret: null);
        var burst = Enumerable.Range(0, 500).SelectMany(i => FrameCodec.Encode(TestNode.Frame(i))).ToArray();
        Assert.True(await first.TrySendAsync(burst));
        // Frames still unread on a replaced connection may be lost (at-most-once); these have all arrived.
        await node.Handler.WaitForFramesFromAsync(peer, 500, Timeout);

        await using var second = await RawPeer.ConnectAsync(node.Identity);
        await second.HandshakeAsync(peer, node.Identity, secret: null);
        Assert.True(await second.TrySendAsync(FrameCodec.Encode(TestNode.Frame(500))));

        await node.Handler.WaitForFramesFromAsync(peer, 501, Timeout);
        Assert.Empty(node.Handler.OrderErrors);
        Assert.Equal([new TransportEvent.Associated(peer)], node.Handler.Events.Snapshot());
        Assert.True(await first.WaitForCloseAsync(Timeout));
    }

    private static void SendAfterBarrier(TestNode from, TestNode to, Barrier start)
    {
        start.SignalAndWait();
        for (var i = 0; i < 10; i++) from.Send(to, TestNode.Frame(i));
    }
}

using ActorTasks.Remote.Tests.Transport.Support;
using ActorTasks.Remote.Transport;
using Serilog.Events;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.Transport;

public sealed class TcpTransportTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TestNode.Timeout;

    [Fact]
    public async Task Frames_flow_both_ways_in_order_over_one_association()
    {
        const int Count = 100_000;
        await using var a = await TestNode.StartAsync(output, "a");
        await using var b = await TestNode.StartAsync(output, "b");

        await Task.WhenAll(
            Task.Run(() => a.SendSequenceAsync(b, 0, Count, 32)),
            Task.Run(() => b.SendSequenceAsync(a, 0, Count, 32)));
        await Task.WhenAll(b.Handler.WaitForFramesAsync(Count, Timeout), a.Handler.WaitForFramesAsync(Count, Timeout));

        Assert.Empty(a.Handler.OrderErrors);
        Assert.Empty(b.Handler.OrderErrors);
        Assert.Equal(Count, a.Handler.FrameCount);
        Assert.Equal(Count, b.Handler.FrameCount);
        Assert.Equal(1, a.Handler.CountOf<TransportEvent.Associated>());
        Assert.Equal(1, b.Handler.CountOf<TransportEvent.Associated>());
        Assert.Equal(0, a.Handler.CountOf<TransportEvent.Disassociated>());
    }

    [Fact]
    public async Task Frame_at_the_limit_passes_and_one_over_fails_the_send_without_dropping_the_connection()
    {
        var settings = TransportSettings.Default with { MaximumFrameSize = 256 * 1024 };
        var received = new List<int>();
        var handler = new RecordingHandler { CheckSequence = false };
        handler.OnEachFrame = (_, payload) =>
        {
            lock (received) received.Add((int)payload.Length);
        };
        await using var a = await TestNode.StartAsync(output, "a", settings);
        await using var b = await TestNode.StartAsync(output, "b", settings, handler);

        a.Send(b, new byte[settings.MaximumFrameSize]);
        Assert.False(a.TrySend(b, new byte[settings.MaximumFrameSize + 1], out var failure));
        Assert.Equal(SendFailure.FrameTooLarge, failure);
        a.Send(b, new byte[10]);

        await b.Handler.WaitForFramesAsync(2, Timeout);
        lock (received) Assert.Equal([settings.MaximumFrameSize, 10], received);
        Assert.Equal(1, a.Log.Count(LogEventLevel.Warning, "exceeds actortasks.remote.maximum-frame-size"));
        Assert.Equal(0, a.Handler.CountOf<TransportEvent.Disassociated>());
    }

    [Fact]
    public async Task Writes_queued_in_a_burst_are_coalesced_into_fewer_flushes_than_frames()
    {
        const int Burst = 2_000;
        await using var a = await TestNode.StartAsync(output, "a");
        await using var b = await TestNode.StartAsync(output, "b");
        var flushesBefore = a.Transport.Counters.Flushes;

        // Queued while the connection is still being made: the writer finds the whole burst waiting.
        for (var i = 0; i < Burst; i++) a.Send(b, TestNode.Frame(i));
        await b.Handler.WaitForFramesAsync(Burst, Timeout);

        var flushes = a.Transport.Counters.Flushes - flushesBefore;
        output.WriteLine($"{Burst} frames took {flushes} flushes");
        Assert.InRange(flushes, 1, Burst / 10);
        Assert.Empty(b.Handler.OrderErrors);
    }

    [Fact]
    public async Task A_burst_on_a_live_connection_takes_fewer_flushes_than_frames()
    {
        const int Burst = 20_000;
        await using var a = await TestNode.StartAsync(output, "a");
        await using var b = await TestNode.StartAsync(output, "b");
        a.Send(b, TestNode.Frame(0));
        await b.Handler.WaitForFramesAsync(1, Timeout);
        var flushesBefore = a.Transport.Counters.Flushes;

        await a.SendSequenceAsync(b, 1, Burst, 32);
        await b.Handler.WaitForFramesAsync(Burst + 1, Timeout);

        var flushes = a.Transport.Counters.Flushes - flushesBefore;
        output.WriteLine($"{Burst} frames took {flushes} flushes");
        Assert.True(flushes < Burst, $"{flushes} flushes for {Burst} frames");
        Assert.Empty(b.Handler.OrderErrors);
    }

    [Fact]
    public async Task A_frame_handler_that_throws_closes_the_connection_with_one_warning_and_the_node_stays_up()
    {
        var handler = new RecordingHandler { CheckSequence = false };
        handler.OnEachFrame = (_, payload) =>
        {
            if (payload.Length == 3) throw new InvalidDataException("unknown manifest 'x'");
        };
        await using var a = await TestNode.StartAsync(output, "a");
        await using var b = await TestNode.StartAsync(output, "b", handler: handler);

        a.Send(b, new byte[3]);
        await b.Handler.Events.WaitForAsync(e => e is TransportEvent.Disassociated, Timeout, "b disassociated");
        await b.Log.WaitForAsync(LogEventLevel.Warning, "unknown manifest 'x'", Timeout);
        Assert.Equal(1, b.Log.Count(LogEventLevel.Warning, "unknown manifest"));

        // The sender reconnects once its backoff has passed; the receiver serves it again.
        await a.Handler.Events.WaitForAsync(e => e is TransportEvent.Disassociated, Timeout, "a disassociated");
        await SendUntilAcceptedAsync(a, b, TestNode.Frame(1, 16));
        await b.Handler.WaitForFramesAsync(1, Timeout); // the frame that threw was not counted
    }

    [Fact]
    public async Task Sends_to_a_node_that_is_not_listening_fail_after_the_first_attempt_and_the_failure_is_reported()
    {
        await using var a = await TestNode.StartAsync(output, "a", TransportSettings.Default with { ReconnectBackoffMin = TimeSpan.FromSeconds(30), ReconnectBackoffMax = TimeSpan.FromSeconds(30) });
        var port = FreePort();

        Assert.True(a.Transport.TrySend("127.0.0.1", port, TestNode.Frame(0), out _)); // queued while dialing
        var failed = await a.Handler.Events.WaitForAsync(e => e is TransportEvent.Failed, Timeout, "association failed");

        Assert.Equal(new TransportEvent.Failed("127.0.0.1", port, ((TransportEvent.Failed)failed).Reason), failed);
        Assert.False(a.Transport.TrySend("127.0.0.1", port, TestNode.Frame(1), out var failure));
        Assert.Equal(SendFailure.Unreachable, failure);
        Assert.Equal(1, a.Log.Count(LogEventLevel.Information, "Could not associate with 127.0.0.1:" + port));
    }

    [Fact]
    public async Task Sends_to_itself_to_an_invalid_address_or_after_dispose_fail_with_the_reason()
    {
        var a = await TestNode.StartAsync(output, "a");
        Assert.False(a.TrySend(a, TestNode.Frame(0), out var failure));
        Assert.Equal(SendFailure.InvalidAddress, failure);
        Assert.False(a.Transport.TrySend("127.0.0.1", 0, TestNode.Frame(0), out failure));
        Assert.Equal(SendFailure.InvalidAddress, failure);

        await a.DisposeAsync();
        Assert.False(a.Transport.TrySend("127.0.0.1", 1234, TestNode.Frame(0), out failure));
        Assert.Equal(SendFailure.NotRunning, failure);
    }

    [Fact]
    public async Task Disposing_a_node_flushes_what_it_queued_and_the_peer_sees_it_disassociate()
    {
        const int Count = 1_000;
        await using var b = await TestNode.StartAsync(output, "b");
        var a = await TestNode.StartAsync(output, "a");
        a.Send(b, TestNode.Frame(0));
        await b.Handler.WaitForFramesAsync(1, Timeout);

        for (var i = 1; i < Count; i++) a.Send(b, TestNode.Frame(i));
        await a.DisposeAsync();

        await b.Handler.Events.WaitForAsync(e => e is TransportEvent.Disassociated, Timeout, "b disassociated");
        Assert.Equal(Count, b.Handler.FrameCount);
        Assert.Empty(b.Handler.OrderErrors);
        Assert.IsType<TransportEvent.Disassociated>(a.Handler.Events.Snapshot()[^1]);
    }

    /// <summary>Sends one frame, waiting for the association (by event) when the peer is still behind its reconnect backoff.</summary>
    internal static async Task SendUntilAcceptedAsync(TestNode from, TestNode to, byte[] frame)
    {
        var associationsBefore = from.Handler.CountOf<TransportEvent.Associated>();
        if (from.TrySend(to, frame, out var failure)) return;
        Assert.Equal(SendFailure.Unreachable, failure);
        // The refused send asked for a redial as soon as the backoff ends.
        await from.Handler.Events.WaitForAsync(
            e => e is TransportEvent.Associated && from.Handler.CountOf<TransportEvent.Associated>() > associationsBefore, Timeout, "re-association");
        from.Send(to, frame);
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

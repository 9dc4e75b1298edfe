using System.Buffers.Binary;
using ActorTasks.Remote.Transport;
using ActorTasks.Testing;
using Serilog;
using Serilog.Core;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.Transport.Support;

/// <summary>A started transport on loopback with its handler and captured log, for tests.</summary>
public sealed class TestNode : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly Logger _logger;

    private TestNode(TcpTransport transport, NodeIdentity identity, RecordingHandler handler, CapturingSink log, Logger logger)
    {
        Transport = transport;
        Identity = identity;
        Handler = handler;
        Log = log;
        _logger = logger;
    }

    public TcpTransport Transport { get; }

    public NodeIdentity Identity { get; }

    public RecordingHandler Handler { get; }

    public CapturingSink Log { get; }

    public static async Task<TestNode> StartAsync(ITestOutputHelper output, string name, TransportSettings? settings = null,
        RecordingHandler? handler = null, long? uid = null)
    {
        var log = new CapturingSink();
        // XunitLogSink prefixes a line with the ActorPath property: here, the node's name.
        var logger = new LoggerConfiguration().MinimumLevel.Verbose()
            .Enrich.WithProperty("ActorPath", name)
            .WriteTo.Sink(log)
            .WriteTo.Sink(new XunitLogSink(output))
            .CreateLogger();
        var transport = new TcpTransport(settings ?? TransportSettings.Default, logger);
        handler ??= new RecordingHandler();
        var identity = await transport.StartAsync(name, uid ?? Random.Shared.NextInt64(1, long.MaxValue), handler);
        return new TestNode(transport, identity, handler, log, logger);
    }

    public bool TrySend(TestNode to, ReadOnlySpan<byte> frame, out SendFailure failure) =>
        Transport.TrySend(to.Identity.Host, to.Identity.Port, frame, out failure);

    public void Send(TestNode to, ReadOnlySpan<byte> frame)
    {
        Assert.True(TrySend(to, frame, out var failure), $"TrySend from {Identity} to {to.Identity} failed: {failure}");
    }

    /// <summary>
    /// Sends <paramref name="count"/> frames of <paramref name="size"/> bytes numbered from <paramref name="first"/>; when
    /// the queue is full, waits (by event, not by time) until the receiver has taken half a queue more.
    /// </summary>
    public async Task SendSequenceAsync(TestNode to, long first, long count, int size)
    {
        var frame = new byte[Math.Max(size, 8)];
        var receivedBefore = to.Handler.FrameCount;
        var limit = Transport.Settings.OutboundQueueLimit;
        for (var i = first; i < first + count;)
        {
            BinaryPrimitives.WriteInt64BigEndian(frame, i);
            if (TrySend(to, frame, out var failure))
            {
                i++;
                continue;
            }
            Assert.Equal(SendFailure.QueueFull, failure);
            await to.Handler.WaitForFramesAsync(receivedBefore + (i - first) - limit / 2, Timeout);
        }
    }

    public static byte[] Frame(long sequence, int size = 64)
    {
        var frame = new byte[Math.Max(size, 8)];
        BinaryPrimitives.WriteInt64BigEndian(frame, sequence);
        return frame;
    }

    public async ValueTask DisposeAsync()
    {
        await Transport.DisposeAsync();
        await _logger.DisposeAsync();
    }
}

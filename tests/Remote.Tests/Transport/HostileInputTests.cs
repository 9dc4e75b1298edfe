using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using ActorTasks.Remote.Tests.Transport.Support;
using ActorTasks.Remote.Transport;
using Serilog.Events;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.Transport;

/// <summary>
/// Raw sockets throw random bytes, truncated frames, huge length prefixes, garbage frames, replayed handshakes,
/// slow-loris writes and idle floods at a running node, while its legitimate peer keeps exchanging frames with it.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const string Secret = "fuzz-secret";
    private static readonly TimeSpan Timeout = TestNode.Timeout;
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(10);

    private static readonly TransportSettings Settings = TransportSettings.Default with
    {
        Secret = Secret,
        HandshakeTimeout = TimeSpan.FromSeconds(1),
        MaxPendingConnections = 48,
        MaximumFrameSize = 64 * 1024,
        OutboundQueueByteLimit = 16 * 1024 * 1024,
    };

    private readonly ConcurrentBag<string> _notClosed = [];
    private int _connections;

    [Fact]
    public async Task A_node_under_hostile_input_stays_up_keeps_serving_its_legitimate_peer_and_stays_bounded_in_memory()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"random seed {seed}");
        var random = new Random(seed);
        var hostile = new NodeIdentity("hostile", "127.0.0.1", 1, 666);
        var victimHandler = new RecordingHandler { IsSequenced = peer => peer.SystemName == "legit" };
        await using var victim = await TestNode.StartAsync(output, "victim", Settings, victimHandler);
        await using var legit = await TestNode.StartAsync(output, "legit", Settings);

        await ExchangeRoundAsync(legit, victim, 0);
        // Handshakes that must succeed happen before the flood fills the pending-connection slots.
        await using var authenticated = await ConnectAsync(victim);
        await authenticated.HandshakeAsync(hostile, victim.Identity, Secret);
        var (helloFrame, proofFrame) = await RecordHandshakeAsync(victim);
        var memoryBefore = SettledMemory();

        using var attackOver = new CancellationTokenSource();
        var pump = Task.Run(() => PumpAsync(legit, victim, attackOver.Token));
        var attack = Stopwatch.StartNew();
        await Task.WhenAll(
            InParallelAsync(60, _ => RandomBytesAsync(victim, Bytes(random, random.Next(1, 2048)))),
            InParallelAsync(30, _ => TruncatedFrameAsync(victim)),
            InParallelAsync(30, i => HugeLengthPrefixAsync(victim, HugeLengths[i % HugeLengths.Length])),
            InParallelAsync(10, _ => GarbageFramesAsync(victim, GarbageFrames(random, 100))),
            AuthenticatedGarbageAsync(authenticated, victim, hostile, GarbageFrames(random, 1_000)),
            InParallelAsync(20, _ => ReplayedHandshakeAsync(victim, helloFrame, proofFrame)),
            InParallelAsync(20, _ => SlowLorisAsync(victim)));
        // Then more silent connections at once than the node lets wait for a handshake.
        await IdleFloodAsync(victim, 80);
        var memoryDuring = SettledMemory();
        await attackOver.CancelAsync();
        var rounds = await pump;
        output.WriteLine($"{_connections} hostile connections in {attack.Elapsed.TotalSeconds:0.0} s; {rounds} legitimate rounds meanwhile; " +
                         $"memory {memoryBefore / 1024} KiB before, {memoryDuring / 1024} KiB after the attack");

        Assert.Empty(_notClosed);
        Assert.InRange(_connections, 250, int.MaxValue);
        Assert.InRange(rounds, 1, int.MaxValue);
        Assert.Empty(victim.Handler.OrderErrors);
        Assert.Empty(legit.Handler.OrderErrors);
        Assert.InRange(memoryDuring - memoryBefore, long.MinValue, 32L * 1024 * 1024);
        Assert.Equal(0, victim.Transport.PendingHandshakes);
        Assert.Equal(1_000, victim.Handler.FramesFrom(hostile)); // valid frames with garbage payloads are opaque: delivered
        await victim.Log.WaitForAsync(LogEventLevel.Warning, "more than actortasks.remote.maximum-frame-size", Timeout);
        await victim.Log.WaitForAsync(LogEventLevel.Warning, "actortasks.remote.max-pending-connections", Timeout);
        await victim.Log.WaitForAsync(LogEventLevel.Warning, "(or the handshake was replayed)", Timeout);
        await victim.Log.WaitForAsync(LogEventLevel.Warning, "malformed handshake", Timeout);
        await victim.Log.WaitForAsync(LogEventLevel.Warning, "no complete handshake within", Timeout);

        // Still open for business: the legitimate peer, and a newcomer.
        await ExchangeRoundAsync(legit, victim, rounds + 1);
        await using var newcomer = await TestNode.StartAsync(output, "legit", Settings);
        newcomer.Send(victim, TestNode.Frame(0));
        await victim.Handler.WaitForFramesFromAsync(newcomer.Identity, 1, Timeout);
    }

    private static readonly uint[] HugeLengths = [uint.MaxValue, int.MaxValue, 1u << 30, 64 * 1024 * 1024, 1025];

    /// <summary>Rounds of 200 frames each way, each awaited; returns how many completed before the attack ended.</summary>
    private static async Task<int> PumpAsync(TestNode legit, TestNode victim, CancellationToken attackOver)
    {
        var round = 0;
        while (!attackOver.IsCancellationRequested) await ExchangeRoundAsync(legit, victim, ++round);
        return round;
    }

    private static async Task ExchangeRoundAsync(TestNode legit, TestNode victim, int round)
    {
        const int PerRound = 200;
        long first = (long)round * PerRound;
        await legit.SendSequenceAsync(victim, first, PerRound, 64);
        await victim.SendSequenceAsync(legit, first, PerRound, 64);
        await Task.WhenAll(
            victim.Handler.WaitForFramesFromAsync(legit.Identity, first + PerRound, TimeSpan.FromSeconds(10)),
            legit.Handler.WaitForFramesFromAsync(victim.Identity, first + PerRound, TimeSpan.FromSeconds(10)));
    }

    private async Task RandomBytesAsync(TestNode victim, byte[] bytes)
    {
        await using var peer = await ConnectAsync(victim);
        await peer.TrySendAsync(bytes);
        await ExpectClosedAsync(peer, "random bytes");
    }

    private async Task TruncatedFrameAsync(TestNode victim)
    {
        await using var peer = await ConnectAsync(victim);
        var frame = new byte[4 + 100];
        BinaryPrimitives.WriteUInt32BigEndian(frame, 500);
        await peer.TrySendAsync(frame);
        await ExpectClosedAsync(peer, "truncated frame");
    }

    private async Task HugeLengthPrefixAsync(TestNode victim, uint length)
    {
        await using var peer = await ConnectAsync(victim);
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        await peer.TrySendAsync(header);
        await ExpectClosedAsync(peer, $"length prefix {length}");
    }

    private async Task GarbageFramesAsync(TestNode victim, byte[] frames)
    {
        await using var peer = await ConnectAsync(victim);
        await peer.TrySendAsync(frames);
        await ExpectClosedAsync(peer, "garbage frames before the handshake");
    }

    /// <summary>A peer that knows the secret sends 1,000 frames with garbage payloads (opaque, so delivered), then an oversize frame.</summary>
    private async Task AuthenticatedGarbageAsync(RawPeer peer, TestNode victim, NodeIdentity hostile, byte[] frames)
    {
        await peer.TrySendAsync(frames);
        await victim.Handler.WaitForFramesFromAsync(hostile, 1_000, Timeout);
        var oversize = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(oversize, (uint)Settings.MaximumFrameSize + 1);
        await peer.TrySendAsync(oversize);
        await ExpectClosedAsync(peer, "oversize frame after the handshake");
    }

    /// <summary>The Hello and Proof frames of a real, successful handshake, for replaying.</summary>
    private async Task<(byte[] Hello, byte[] Proof)> RecordHandshakeAsync(TestNode victim)
    {
        byte[] recorded;
        await using (var original = await ConnectAsync(victim))
        {
            await original.HandshakeAsync(new NodeIdentity("recorded", "127.0.0.1", 2, 7), victim.Identity, Secret);
            recorded = original.Written;
        }
        var rest = new ReadOnlySequence<byte>(recorded);
        Assert.Equal(FrameCodec.ReadStatus.Frame, FrameCodec.TryRead(ref rest, 1024, out var hello, out _));
        return (FrameCodec.Encode(hello.ToArray()), rest.ToArray());
    }

    private async Task ReplayedHandshakeAsync(TestNode victim, byte[] helloFrame, byte[] proofFrame)
    {
        await using var peer = await ConnectAsync(victim);
        await peer.TrySendAsync(helloFrame);
        using var cts = new CancellationTokenSource(Timeout);
        await peer.ReadFrameAsync(cts.Token); // the challenge, with a fresh nonce (or nothing, if the flood filled the slots)
        await peer.TrySendAsync(proofFrame);
        await ExpectClosedAsync(peer, "replayed handshake");
    }

    /// <summary>A well-formed Hello dribbled one byte per 100 ms: the handshake timeout (1 s) cuts it off.</summary>
    private async Task SlowLorisAsync(TestNode victim)
    {
        var hello = FrameCodec.Encode(HandshakeMessages.EncodeHello(new Hello(Handshake.ProtocolVersion, HandshakeFlags.SecretConfigured,
            new NodeIdentity("slow", "127.0.0.1", 3, 3), new byte[HandshakeMessages.NonceSize])));
        await using var peer = await ConnectAsync(victim);
        var closed = peer.WaitForCloseAsync(CloseWithin);
        foreach (var b in hello)
        {
            if (closed.IsCompleted || !await peer.TrySendAsync(new[] { b })) break;
            await Task.Delay(100); // pacing the writes is the attack, not a wait for an event
        }
        if (!await closed) _notClosed.Add("slow loris");
    }

    /// <summary>Many connections opened at once and left silent: beyond the pending cap they are refused at once, the rest time out.</summary>
    private async Task IdleFloodAsync(TestNode victim, int count)
    {
        var peers = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => ConnectAsync(victim)));
        try
        {
            await Task.WhenAll(peers.Select(p => ExpectClosedAsync(p, "idle connection")));
        }
        finally
        {
            foreach (var peer in peers) await peer.DisposeAsync();
        }
    }

    private async Task<RawPeer> ConnectAsync(TestNode victim)
    {
        Interlocked.Increment(ref _connections);
        return await RawPeer.ConnectAsync(victim.Identity);
    }

    private async Task ExpectClosedAsync(RawPeer peer, string what)
    {
        if (!await peer.WaitForCloseAsync(CloseWithin)) _notClosed.Add(what);
    }

    private static async Task InParallelAsync(int count, Func<int, Task> body)
    {
        // Ten at a time: hostile, but not a denial of service of the test machine itself.
        using var gate = new SemaphoreSlim(10);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                await body(i);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary><paramref name="count"/> well-formed frames (length prefix included) with random payloads of 0 to 900 bytes.</summary>
    private static byte[] GarbageFrames(Random random, int count)
    {
        var writer = new ArrayBufferWriter<byte>();
        for (var i = 0; i < count; i++) FrameCodec.Write(writer, Bytes(random, random.Next(0, 900)));
        return writer.WrittenSpan.ToArray();
    }

    private static long SettledMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

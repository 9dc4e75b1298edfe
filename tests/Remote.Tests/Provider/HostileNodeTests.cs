using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using ActorTasks.Actor;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Serialization;
using ActorTasks.Remote.Serialization.Proto;
using ActorTasks.Remote.Tests.Transport.Support;
using ActorTasks.Remote.Transport;
using Google.Protobuf;
using Serilog;
using Serilog.Events;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.Provider;

/// <summary>
/// A running node (an actor system with remoting and actors) under attack from raw sockets — random bytes, truncated
/// frames, huge length prefixes, replayed handshakes, slow-loris writes, and, after a real handshake with the right
/// secret, well-formed frames whose envelopes are garbage — while a legitimate peer node keeps asking one of its actors.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class HostileNodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Secret = "hostile-node-secret";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(10);

    private static readonly TransportSettings Settings = TransportSettings.Default with
    {
        Secret = Secret,
        // Short, so slow-loris connections are cut off within the test, yet long enough for a first handshake on a loaded machine.
        HandshakeTimeout = TimeSpan.FromSeconds(3),
        MaxPendingConnections = 48,
        MaximumFrameSize = 64 * 1024,
        OutboundQueueByteLimit = 16 * 1024 * 1024,
    };

    private readonly CapturingSink _victimLog = new();
    private readonly List<string> _notClosed = [];
    private ActorSystem _victim = null!;
    private ActorSystem _legit = null!;
    private int _connections;

    public async Task InitializeAsync()
    {
        var logger = new LoggerConfiguration().MinimumLevel.Information().WriteTo.Sink(_victimLog).CreateLogger();
        _victim = ActorSystem.Create("victim", config: null, logger);
        await RemoteActorRefProvider.StartAsync(_victim, Settings, SerializerRegistry.CreateDefault());
        _victim.ActorOf(Props.Create(() => new Echo()), "echo");
        _legit = ActorSystem.Create("legit");
        await RemoteActorRefProvider.StartAsync(_legit, Settings, SerializerRegistry.CreateDefault());
    }

    public async Task DisposeAsync()
    {
        await _legit.Terminate().WaitAsync(Timeout);
        await _victim.Terminate().WaitAsync(Timeout);
    }

    private NodeIdentity Victim => new(_victim.Name, "127.0.0.1", _victim.Address.Port!.Value, 0);

    [Fact]
    public async Task A_node_under_hostile_input_stays_up_keeps_answering_its_legitimate_peer_and_stays_bounded_in_memory()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"random seed {seed}");
        var random = new Random(seed);
        var echo = await _legit.ActorSelection($"{_victim.Address}/user/echo").ResolveOne(Timeout);
        Assert.Equal(-1, await echo.Ask<int>(-1, Timeout));
        var (hello, proof) = await RecordHandshakeAsync();
        var memoryBefore = SettledMemory();

        using var attackOver = new CancellationTokenSource();
        var pump = Task.Run(() => AskUntilAsync(echo, attackOver.Token));
        var attack = Stopwatch.StartNew();
        await Task.WhenAll(
            InParallelAsync(24, _ => RandomBytesAsync(Bytes(random, random.Next(1, 2048)))),
            InParallelAsync(6, _ => TruncatedFrameAsync()),
            InParallelAsync(12, i => HugeLengthPrefixAsync(HugeLengths[i % HugeLengths.Length])),
            InParallelAsync(12, _ => ReplayedHandshakeAsync(hello, proof)),
            InParallelAsync(6, _ => SlowLorisAsync()),
            InParallelAsync(6, i => AuthenticatedGarbageAsync(i, new Random(seed + i))));
        await attackOver.CancelAsync();
        var rounds = await pump;
        var memoryAfter = SettledMemory();
        output.WriteLine($"{_connections} hostile connections in {attack.Elapsed.TotalSeconds:0.0} s; {rounds} asks answered meanwhile; " +
                         $"managed memory {memoryBefore / 1024} KiB before, {memoryAfter / 1024} KiB after");

        Assert.Empty(_notClosed);
        Assert.InRange(rounds, 1, int.MaxValue);
        Assert.InRange(memoryAfter - memoryBefore, long.MinValue, 32L * 1024 * 1024);
        // The garbage reached the envelope decoder: dropped messages logged, malformed envelopes closed their connection.
        await _victimLog.WaitForAsync(LogEventLevel.Warning, "unknown manifest 'evil.unknown'", Timeout);
        await _victimLog.WaitForAsync(LogEventLevel.Warning, "addressed to another node", Timeout);
        await _victimLog.WaitForAsync(LogEventLevel.Warning, "malformed envelope", Timeout);
        await _victimLog.WaitForAsync(LogEventLevel.Warning, "(or the handshake was replayed)", Timeout);
        await _victimLog.WaitForAsync(LogEventLevel.Warning, "no complete handshake within", Timeout);
        await _victimLog.WaitForAsync(LogEventLevel.Warning, "malformed handshake: a frame of 4294967295 bytes", Timeout);

        // Still serving: the legitimate peer, and a node it has never seen.
        Assert.False(_victim.WhenTerminated.IsCompleted);
        Assert.Equal(12345, await echo.Ask<int>(12345, Timeout));
        var newcomer = ActorSystem.Create("newcomer");
        try
        {
            await RemoteActorRefProvider.StartAsync(newcomer, Settings, SerializerRegistry.CreateDefault());
            var viaNewcomer = await newcomer.ActorSelection($"{_victim.Address}/user/echo").ResolveOne(Timeout);
            Assert.Equal("welcome", await viaNewcomer.Ask<string>("welcome", Timeout));
        }
        finally
        {
            await newcomer.Terminate().WaitAsync(Timeout);
        }
    }

    private static readonly uint[] HugeLengths = [uint.MaxValue, int.MaxValue, 1u << 30, 64 * 1024 * 1024, 1025];

    /// <summary>Asks in a loop until the attack is over; every ask must be answered (or the test fails with its exception).</summary>
    private static async Task<int> AskUntilAsync(IActorRef echo, CancellationToken attackOver)
    {
        var answered = 0;
        while (!attackOver.IsCancellationRequested)
        {
            var reply = await echo.Ask<int>(answered, TimeSpan.FromSeconds(5));
            Assert.Equal(answered, reply);
            answered++;
        }
        return answered;
    }

    /// <summary>
    /// Proves the secret like a real peer (as node <c>hostile-n@127.0.0.1:n+1</c>), then sends envelopes that are garbage
    /// in every field the decoder looks at — each is dropped with a log line, the connection stays — and last a frame
    /// that is no envelope at all, which closes the connection.
    /// </summary>
    private async Task AuthenticatedGarbageAsync(int index, Random random)
    {
        await using var peer = await ConnectAsync();
        var identity = new NodeIdentity($"hostile-{index}", "127.0.0.1", index + 1, 1000 + index);
        await peer.HandshakeAsync(identity, Victim, Secret);
        var echoPath = $"{_victim.Address}/user/echo";
        var frames = new ArrayBufferWriter<byte>();
        for (var i = 0; i < 200; i++)
        {
            var envelope = (i % 10) switch
            {
                0 => Envelope(echoPath, "", 4, "evil.unknown", Bytes(random, random.Next(0, 64))),
                1 => Envelope(echoPath, "", 99, "actortasks.int32", [1, 2, 3, 4]),
                2 => Envelope(echoPath, "", 4, "actortasks.int32", Bytes(random, 3)),
                3 => Envelope(echoPath, "", 4, "actortasks.string", [0x61, 0xC3, 0x28]),
                4 => Envelope(echoPath, "", 4, "actortasks.broadcast", NestedBroadcasts(40)),
                5 => Envelope("", "", 4, "actortasks.int32", [1, 0, 0, 0]),
                6 => Envelope("actortasks://elsewhere@10.1.2.3:4/user/x", "", 4, "actortasks.int32", [1, 0, 0, 0]),
                7 => Envelope($"{_victim.Address}/user/nobody-here", "", 4, "actortasks.int32", [1, 0, 0, 0]),
                8 => Envelope(echoPath, "%% not a path %%", 4, "actortasks.int32", [1, 0, 0, 0]),
                _ => Envelope(RandomWord(random), "", 4, "actortasks.int32", [1, 0, 0, 0]),
            };
            FrameCodec.Write(frames, envelope);
        }
        FrameCodec.Write(frames, Bytes(random, 300).Prepend((byte)0xFF).ToArray());
        await peer.TrySendAsync(frames.WrittenMemory);
        await ExpectClosedAsync(peer, $"authenticated garbage {index}");
    }

    private static byte[] Envelope(string recipient, string sender, int serializerId, string manifest, byte[] payload) =>
        new WireEnvelope { Recipient = recipient, Sender = sender, SerializerId = serializerId, Manifest = manifest, Payload = ByteString.CopyFrom(payload) }
            .ToByteArray();

    /// <summary>A Broadcast of a Broadcast of … <paramref name="depth"/> deep: more than the decoder allows.</summary>
    private static byte[] NestedBroadcasts(int depth)
    {
        var inner = new Payload { SerializerId = 4, Manifest = "actortasks.int32", Data = ByteString.CopyFrom(1, 0, 0, 0) };
        for (var i = 0; i < depth; i++)
            inner = new Payload { SerializerId = 4, Manifest = "actortasks.broadcast", Data = new BroadcastData { Message = inner }.ToByteString() };
        return inner.Data.ToByteArray();
    }

    private async Task RandomBytesAsync(byte[] bytes)
    {
        await using var peer = await ConnectAsync();
        await peer.TrySendAsync(bytes);
        await ExpectClosedAsync(peer, "random bytes");
    }

    private async Task TruncatedFrameAsync()
    {
        await using var peer = await ConnectAsync();
        var frame = new byte[4 + 100];
        BinaryPrimitives.WriteUInt32BigEndian(frame, 500);
        await peer.TrySendAsync(frame);
        await ExpectClosedAsync(peer, "truncated frame");
    }

    private async Task HugeLengthPrefixAsync(uint length)
    {
        await using var peer = await ConnectAsync();
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        await peer.TrySendAsync(header);
        await ExpectClosedAsync(peer, $"length prefix {length}");
    }

    /// <summary>The Hello and Proof frames of a real, successful handshake, for replaying.</summary>
    private async Task<(byte[] Hello, byte[] Proof)> RecordHandshakeAsync()
    {
        byte[] recorded;
        await using (var original = await ConnectAsync())
        {
            await original.HandshakeAsync(new NodeIdentity("recorded", "127.0.0.1", 100, 7), Victim, Secret);
            recorded = original.Written;
        }
        var rest = new ReadOnlySequence<byte>(recorded);
        Assert.Equal(FrameCodec.ReadStatus.Frame, FrameCodec.TryRead(ref rest, 1024, out var hello, out _));
        return (FrameCodec.Encode(hello.ToArray()), rest.ToArray());
    }

    private async Task ReplayedHandshakeAsync(byte[] hello, byte[] proof)
    {
        await using var peer = await ConnectAsync();
        await peer.TrySendAsync(hello);
        using var cts = new CancellationTokenSource(Timeout);
        await peer.ReadFrameAsync(cts.Token); // the challenge, with a fresh nonce the recorded proof does not cover
        await peer.TrySendAsync(proof);
        await ExpectClosedAsync(peer, "replayed handshake");
    }

    /// <summary>A well-formed Hello (some 80 bytes) dribbled one byte per 100 ms: the 3 s handshake timeout cuts it off.</summary>
    private async Task SlowLorisAsync()
    {
        var hello = FrameCodec.Encode(HandshakeMessages.EncodeHello(new Hello(Handshake.ProtocolVersion, HandshakeFlags.SecretConfigured,
            new NodeIdentity("slow", "127.0.0.1", 3, 3), new byte[HandshakeMessages.NonceSize])));
        await using var peer = await ConnectAsync();
        var closed = peer.WaitForCloseAsync(CloseWithin);
        foreach (var b in hello)
        {
            if (closed.IsCompleted || !await peer.TrySendAsync(new[] { b })) break;
            await Task.Delay(100); // pacing the writes is the attack, not a wait for an event
        }
        if (!await closed) Fail("slow loris");
    }

    private async Task<RawPeer> ConnectAsync()
    {
        Interlocked.Increment(ref _connections);
        return await RawPeer.ConnectAsync(Victim);
    }

    private async Task ExpectClosedAsync(RawPeer peer, string what)
    {
        if (!await peer.WaitForCloseAsync(CloseWithin)) Fail(what);
    }

    private void Fail(string what)
    {
        lock (_notClosed) _notClosed.Add(what);
    }

    private static async Task InParallelAsync(int count, Func<int, Task> body)
    {
        // Six at a time per kind of attack: hostile, but below the node's cap on connections in their handshake (48), so
        // that every kind gets through to the code it attacks, and not a denial of service of the test machine itself.
        using var gate = new SemaphoreSlim(6);
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

    private static string RandomWord(Random random) => new([.. Enumerable.Range(0, random.Next(1, 40)).Select(_ => (char)('a' + random.Next(26)))]);

    private static long SettledMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }
}

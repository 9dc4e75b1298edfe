using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using ActorTasks.Remote.Transport;

namespace ActorTasks.Remote.Tests.Transport.Support;

/// <summary>What a transport reported, in order; frames are counted and, when they carry a sequence number, checked for order per sender.</summary>
public sealed class RecordingHandler : IFrameHandler
{
    private readonly ConcurrentDictionary<long, long> _nextSequence = new();
    private readonly ConcurrentQueue<string> _orderErrors = new();
    private readonly object _countLock = new();
    private readonly List<(long? Uid, long Target, TaskCompletionSource Done)> _countWaiters = [];
    private readonly ConcurrentDictionary<long, long> _framesByUid = new();
    private long _frames;

    public AwaitableLog<TransportEvent> Events { get; } = new();

    /// <summary>When true, each frame's first 8 bytes are a big-endian sequence number starting at 0 per sender uid.</summary>
    public bool CheckSequence { get; init; } = true;

    /// <summary>Which senders' frames carry sequence numbers (all, unless told otherwise).</summary>
    public Func<NodeIdentity, bool> IsSequenced { get; init; } = static _ => true;

    /// <summary>Called for each frame after it is counted (e.g. to keep a copy); may throw to test malformed-input handling.</summary>
    public Action<NodeIdentity, ReadOnlySequence<byte>>? OnEachFrame { get; set; }

    public long FrameCount => Interlocked.Read(ref _frames);

    public IReadOnlyCollection<string> OrderErrors => _orderErrors;

    public void OnAssociated(NodeIdentity peer) => Events.Add(new TransportEvent.Associated(peer));

    public void OnDisassociated(NodeIdentity peer, string reason) => Events.Add(new TransportEvent.Disassociated(peer, reason));

    public void OnPeerRestarted(NodeIdentity previous, NodeIdentity current) => Events.Add(new TransportEvent.Restarted(previous, current));

    public void OnAssociationFailed(string host, int port, string reason) => Events.Add(new TransportEvent.Failed(host, port, reason));

    public void OnFrame(NodeIdentity from, ReadOnlySequence<byte> payload)
    {
        if (CheckSequence && payload.Length >= 8 && IsSequenced(from))
        {
            Span<byte> header = stackalloc byte[8];
            payload.Slice(0, 8).CopyTo(header);
            var sequence = BinaryPrimitives.ReadInt64BigEndian(header);
            var expected = _nextSequence.GetValueOrDefault(from.Uid);
            if (sequence != expected && _orderErrors.Count < 10) _orderErrors.Enqueue($"from {from}: expected {expected} but got {sequence}");
            _nextSequence[from.Uid] = sequence + 1;
        }
        OnEachFrame?.Invoke(from, payload);
        _framesByUid.AddOrUpdate(from.Uid, 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _frames);
        if (Volatile.Read(ref _waiting) > 0) Signal();
    }

    public long FramesFrom(NodeIdentity sender) => _framesByUid.GetValueOrDefault(sender.Uid);

    private int _waiting;

    /// <summary>Completes once at least <paramref name="target"/> frames arrived in total; fails after <paramref name="timeout"/>.</summary>
    public Task WaitForFramesAsync(long target, TimeSpan timeout) => WaitForCountAsync(null, target, timeout);

    /// <summary>Completes once at least <paramref name="target"/> frames arrived from <paramref name="sender"/>; fails after <paramref name="timeout"/>.</summary>
    public Task WaitForFramesFromAsync(NodeIdentity sender, long target, TimeSpan timeout) => WaitForCountAsync(sender.Uid, target, timeout);

    private async Task WaitForCountAsync(long? uid, long target, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_countLock)
        {
            _countWaiters.Add((uid, target, done));
            Interlocked.Increment(ref _waiting);
        }
        Signal();
        try
        {
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting for {target} frames; got {FrameCount}; events: {string.Join(" | ", Events.Snapshot())}");
        }
    }

    private void Signal()
    {
        lock (_countLock)
        {
            for (var i = _countWaiters.Count - 1; i >= 0; i--)
            {
                var (uid, target, _) = _countWaiters[i];
                var count = uid is { } u ? _framesByUid.GetValueOrDefault(u) : FrameCount;
                if (target > count) continue;
                _countWaiters[i].Done.TrySetResult();
                _countWaiters.RemoveAt(i);
                Interlocked.Decrement(ref _waiting);
            }
        }
    }

    public Task<TransportEvent> WaitForAssociatedAsync(NodeIdentity peer, TimeSpan timeout) =>
        Events.WaitForAsync(e => e is TransportEvent.Associated a && a.Peer == peer, timeout, $"Associated({peer})");

    public int CountOf<T>() where T : TransportEvent => Events.Snapshot().OfType<T>().Count();
}

public abstract record TransportEvent
{
    public sealed record Associated(NodeIdentity Peer) : TransportEvent;

    public sealed record Disassociated(NodeIdentity Peer, string Reason) : TransportEvent;

    public sealed record Restarted(NodeIdentity Previous, NodeIdentity Current) : TransportEvent;

    public sealed record Failed(string Host, int Port, string Reason) : TransportEvent;
}

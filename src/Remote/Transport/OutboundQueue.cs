using System.Buffers;
using System.Collections.Concurrent;
using ActorTasks.Dispatch;

namespace ActorTasks.Remote.Transport;

/// <summary>A frame waiting to be written: a copy of the caller's payload in an array rented from the shared pool.</summary>
internal readonly record struct OutboundFrame(byte[] Buffer, int Length)
{
    public ReadOnlySpan<byte> Payload => Buffer.AsSpan(0, Length);

    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
}

/// <summary>
/// The frames queued for one peer during one session (from the first dial until the connection is lost), bounded in
/// frames and in bytes, and who writes them. Many threads enqueue; the connection attached to the session writes.
/// </summary>
/// <remarks>
/// <para>
/// Writing is a drain: take every queued frame, write it to the connection, flush once. At most one drain runs at a
/// time (a status word changed by CAS, as a mailbox's): a drain asked for while one runs makes that one go round
/// again, so no frame is left behind and no two threads ever touch the connection's writer together.
/// </para>
/// <para>
/// Who drains: a frame sent from inside an actor's run is written when that run ends, on the same thread (deferred
/// through <see cref="DispatcherThread.TryDefer"/>), so the replies of a whole run share one write and no thread is
/// woken for them; a frame sent from anywhere else has its drain queued to the thread pool. A flush that cannot
/// finish at once (the socket's buffer is full) finishes asynchronously and the drain goes on from there.
/// </para>
/// </remarks>
internal sealed class OutboundQueue(int frameLimit, long byteLimit) : IRunEndAction, IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Draining = 1;
    private const int DrainAgain = 2;

    private readonly ConcurrentQueue<OutboundFrame> _frames = new();
    // Reserved before the frame is written and released when it is taken: the limits hold under any interleaving of
    // senders, at the cost of a send occasionally seeing "full" a moment before the writer frees a slot.
    private int _count;
    private long _bytes;
    private volatile bool _completed;
    private int _status;
    private Connection? _writer;
    // Completed by the drain that ends while a detach waits for it.
    private TaskCompletionSource? _detached;

    /// <summary>True once <see cref="Complete"/> was called: no frame is taken any more.</summary>
    public bool IsCompleted => _completed;

    /// <summary>True when no frame is queued.</summary>
    public bool IsEmpty => _frames.IsEmpty;

    /// <summary>Copies <paramref name="payload"/> into a pooled buffer and queues it; <see cref="SendFailure.Unreachable"/> once completed.</summary>
    public SendFailure TryEnqueue(ReadOnlySpan<byte> payload)
    {
        if (_completed) return SendFailure.Unreachable;
        if (Interlocked.Increment(ref _count) > frameLimit)
        {
            Interlocked.Decrement(ref _count);
            return SendFailure.QueueFull;
        }
        if (Interlocked.Add(ref _bytes, payload.Length) > byteLimit)
        {
            Interlocked.Add(ref _bytes, -payload.Length);
            Interlocked.Decrement(ref _count);
            return SendFailure.QueueFull;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(payload.Length, 1));
        payload.CopyTo(buffer);
        _frames.Enqueue(new OutboundFrame(buffer, payload.Length));
        // Enqueue's interlocked tail update fences this read against Attach's exchange: either the writer is seen
        // here, or Attach's drain sees the frame.
        if (Volatile.Read(ref _writer) is null)
        {
            // The session ended meanwhile (DropAll may have run already): the frame stays in a queue nobody reads.
            // Otherwise no connection is attached yet, and Attach drains everything that waited for it: asking for
            // a drain now would only keep a pool thread busy finding nothing to write it to, racing the sender.
            return _completed ? SendFailure.Unreachable : SendFailure.None;
        }
        if (!DispatcherThread.TryDefer(this)) RequestDrain(inline: false);
        return SendFailure.None;
    }

    /// <summary>Takes the next frame; the caller releases it after writing it.</summary>
    public bool TryDequeue(out OutboundFrame frame)
    {
        if (!_frames.TryDequeue(out frame)) return false;
        Interlocked.Add(ref _bytes, -frame.Length);
        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>Makes <paramref name="connection"/> the session's writer and drains what queued up before it came.</summary>
    public void Attach(Connection connection)
    {
        // A full fence before the drain looks at the queue, matching the one in TryEnqueue.
        Interlocked.Exchange(ref _writer, connection);
        RequestDrain(inline: false);
    }

    /// <summary>
    /// Stops <paramref name="connection"/> being the writer; completes once no drain is using it any more, after
    /// which its pipe may be completed safely.
    /// </summary>
    public Task DetachAsync(Connection connection)
    {
        if (Interlocked.CompareExchange(ref _writer, null, connection) != connection) return Task.CompletedTask;
        var detached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A full fence between this write and the status read below, as the drain's CAS is between its two.
        Interlocked.Exchange(ref _detached, detached);
        // A drain that started before the exchange may still hold the connection; it completes the task as it ends.
        if (Volatile.Read(ref _status) == Idle) detached.TrySetResult();
        return detached.Task;
    }

    /// <summary>Refuses further frames; those already queued are still written (a graceful end).</summary>
    public void Complete()
    {
        _completed = true;
        RequestDrain(inline: false);
    }

    /// <summary>Completes the queue, releases every queued frame and returns how many there were.</summary>
    public int DropAll()
    {
        _completed = true;
        var dropped = 0;
        while (TryDequeue(out var frame))
        {
            frame.Release();
            dropped++;
        }
        return dropped;
    }

    void IRunEndAction.RunAtRunEnd() => RequestDrain(inline: true);

    void IRunEndAction.RunElsewhere() => RequestDrain(inline: false);

    void IThreadPoolWorkItem.Execute() => Drain();

    private void RequestDrain(bool inline)
    {
        while (true)
        {
            var status = Volatile.Read(ref _status);
            if (status == DrainAgain) return;
            var next = status == Idle ? Draining : DrainAgain;
            if (Interlocked.CompareExchange(ref _status, next, status) != status) continue;
            if (status == Draining) return; // the running drain goes round again
            if (inline) Drain();
            else ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            return;
        }
    }

    // Runs with the status Draining (or DrainAgain), on one thread at a time.
    private void Drain()
    {
        while (true)
        {
            if (Volatile.Read(ref _writer) is { } writer)
            {
                var flush = writer.WriteFrom(this);
                if (!flush.IsCompleted)
                {
                    _ = FinishDrainAsync(writer, flush);
                    return;
                }
                writer.OnFlushed(flush.Result, this);
                if (!writer.IsWriteClosed && !_frames.IsEmpty) continue; // stopped at the flush threshold
            }
            if (TryEndDrain()) return;
        }
    }

    private async Task FinishDrainAsync(Connection writer, ValueTask<bool> flush)
    {
        writer.OnFlushed(await flush.ConfigureAwait(false), this);
        Drain();
    }

    // Idle again unless a drain was asked for meanwhile; then the caller goes round once more.
    private bool TryEndDrain()
    {
        if (Interlocked.CompareExchange(ref _status, Idle, Draining) == Draining)
        {
            Volatile.Read(ref _detached)?.TrySetResult();
            return true;
        }
        Volatile.Write(ref _status, Draining);
        return false;
    }
}

using System.Buffers;
using System.Threading.Channels;

namespace ActorTasks.Remote.Transport;

/// <summary>A frame waiting to be written: a copy of the caller's payload in an array rented from the shared pool.</summary>
internal readonly record struct OutboundFrame(byte[] Buffer, int Length)
{
    public ReadOnlySpan<byte> Payload => Buffer.AsSpan(0, Length);

    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
}

/// <summary>
/// The frames queued for one peer during one session (from the first dial until the connection is lost), bounded in
/// frames and in bytes. Many threads enqueue; one connection writer at a time dequeues. Completing the queue makes
/// further enqueues fail while what is queued can still be drained.
/// </summary>
internal sealed class OutboundQueue(int frameLimit, long byteLimit)
{
    private readonly Channel<OutboundFrame> _channel = Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions
    {
        SingleReader = true,
        AllowSynchronousContinuations = false,
    });

    // Reserved before the frame is written and released when it is taken: the limits hold under any interleaving of
    // senders, at the cost of a send occasionally seeing "full" a moment before the writer frees a slot.
    private int _frames;
    private long _bytes;

    /// <summary>Copies <paramref name="payload"/> into a pooled buffer and queues it; <see cref="SendFailure.Unreachable"/> once completed.</summary>
    public SendFailure TryEnqueue(ReadOnlySpan<byte> payload)
    {
        if (Interlocked.Increment(ref _frames) > frameLimit)
        {
            Interlocked.Decrement(ref _frames);
            return SendFailure.QueueFull;
        }
        if (Interlocked.Add(ref _bytes, payload.Length) > byteLimit)
        {
            Interlocked.Add(ref _bytes, -payload.Length);
            Interlocked.Decrement(ref _frames);
            return SendFailure.QueueFull;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(payload.Length, 1));
        payload.CopyTo(buffer);
        if (_channel.Writer.TryWrite(new OutboundFrame(buffer, payload.Length))) return SendFailure.None;
        ArrayPool<byte>.Shared.Return(buffer);
        Interlocked.Add(ref _bytes, -payload.Length);
        Interlocked.Decrement(ref _frames);
        return SendFailure.Unreachable;
    }

    /// <summary>Takes the next frame; the caller releases it after writing it.</summary>
    public bool TryDequeue(out OutboundFrame frame)
    {
        if (!_channel.Reader.TryRead(out frame)) return false;
        Interlocked.Add(ref _bytes, -frame.Length);
        Interlocked.Decrement(ref _frames);
        return true;
    }

    /// <summary>Waits until a frame is queued (true) or the queue is completed and empty (false).</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Refuses further frames; those already queued can still be taken.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Completes the queue, releases every queued frame and returns how many there were.</summary>
    public int DropAll()
    {
        Complete();
        var dropped = 0;
        while (TryDequeue(out var frame))
        {
            frame.Release();
            dropped++;
        }
        return dropped;
    }
}

using System.Collections.Concurrent;

namespace ActorTasks.Dispatch;

/// <summary>The user-message queue of a mailbox: many producers, one consumer (the mailbox run).</summary>
public interface IMessageQueue
{
    /// <summary>Adds a message; false when a bounded queue is full (the caller dead-letters it, never blocks).</summary>
    bool TryEnqueue(in Envelope envelope);

    bool TryDequeue(out Envelope envelope);

    bool HasMessages { get; }

    /// <summary>Approximate count (exact when no producer is racing).</summary>
    int Count { get; }
}

/// <summary>
/// Unbounded lock-free queue (<see cref="MpscQueue{T}"/>: many senders, the mailbox run the only reader). It is
/// created on the first message, so an actor that never receives user messages costs no queue segment.
/// </summary>
public sealed class UnboundedMessageQueue : IMessageQueue
{
    private MpscQueue<Envelope>? _queue;

    public bool TryEnqueue(in Envelope envelope)
    {
        var queue = Volatile.Read(ref _queue);
        if (queue is null)
        {
            // Two first producers may race here; CompareExchange keeps exactly one queue.
            var fresh = new MpscQueue<Envelope>();
            queue = Interlocked.CompareExchange(ref _queue, fresh, null) ?? fresh;
        }
        queue.Enqueue(envelope);
        return true;
    }

    public bool TryDequeue(out Envelope envelope)
    {
        var queue = Volatile.Read(ref _queue);
        if (queue is null)
        {
            envelope = default;
            return false;
        }
        return queue.TryDequeue(out envelope);
    }

    public bool HasMessages => Volatile.Read(ref _queue) is { HasItems: true };

    public int Count => Volatile.Read(ref _queue)?.Count ?? 0;
}

/// <summary>
/// Lock-free queue with a capacity. A producer reserves a slot with an atomic increment; when that
/// overshoots the capacity it gives the slot back and the message is refused (dead-lettered by the caller).
/// </summary>
public sealed class BoundedMessageQueue : IMessageQueue
{
    private readonly ConcurrentQueue<Envelope> _queue = new();
    private readonly int _capacity;
    private int _count;

    public BoundedMessageQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Capacity => _capacity;

    public bool TryEnqueue(in Envelope envelope)
    {
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }
        _queue.Enqueue(envelope);
        return true;
    }

    public bool TryDequeue(out Envelope envelope)
    {
        if (!_queue.TryDequeue(out envelope)) return false;
        Interlocked.Decrement(ref _count);
        return true;
    }

    public bool HasMessages => !_queue.IsEmpty;

    public int Count => Volatile.Read(ref _count);
}

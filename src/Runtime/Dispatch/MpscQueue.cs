using System.Runtime.CompilerServices;

namespace ActorTasks.Dispatch;

/// <summary>
/// An unbounded lock-free queue for many producers and exactly one consumer (a mailbox's run): segments of ring
/// buffers, as <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/> has, but the consumer takes items
/// with plain reads and writes, because no other thread ever dequeues. Producers reserve a slot with a CAS and
/// publish it with a release write of its sequence number.
/// </summary>
/// <remarks>
/// Races it settles: (1) a producer that has reserved a slot but not yet published it: the consumer, having seen
/// the reservation, waits for the publication, so an item whose producer then finds the mailbox still scheduled is
/// never left behind (the reservation CAS is a full fence before the producer reads the mailbox's status); (2) a
/// full segment: the producer that finds it full freezes it (no reservation succeeds after), links a segment twice
/// the size and moves the tail there; the consumer leaves a segment only once it is frozen and every slot reserved
/// before the freeze has been taken.
/// </remarks>
internal sealed class MpscQueue<T>
{
    private const int FirstSegmentLength = 32;
    private const int MaxSegmentLength = 1024 * 1024;

    private Segment _head; // the consumer's
    private Segment _tail;

    public MpscQueue()
    {
        _head = _tail = new Segment(FirstSegmentLength);
    }

    /// <summary>Adds an item (any thread).</summary>
    public void Enqueue(T item)
    {
        while (true)
        {
            var tail = Volatile.Read(ref _tail);
            if (tail.TryEnqueue(item)) return;
            // Full: freeze it and move on to its successor, creating that if no other producer has yet.
            tail.Freeze();
            var next = Volatile.Read(ref tail.Next);
            if (next is null)
            {
                var fresh = new Segment(Math.Min(tail.Length * 2, MaxSegmentLength));
                next = Interlocked.CompareExchange(ref tail.Next, fresh, null) ?? fresh;
            }
            Interlocked.CompareExchange(ref _tail, next, tail);
        }
    }

    /// <summary>Takes the oldest item; the consumer's thread only.</summary>
    public bool TryDequeue(out T item)
    {
        while (true)
        {
            var head = _head;
            if (head.TryDequeue(out item)) return true;
            // Empty. A frozen and drained segment is left for its successor (linked before or soon after the freeze).
            if (!head.IsFrozen || Volatile.Read(ref head.Next) is not { } next) return false;
            if (!head.IsDrained)
            {
                // A reservation made before the freeze is still being published.
                continue;
            }
            _head = next;
        }
    }

    /// <summary>True when an item is queued or being published. Exact on the consumer's thread; a hint elsewhere.</summary>
    public bool HasItems
    {
        get
        {
            for (var segment = Volatile.Read(ref _head); segment is not null; segment = Volatile.Read(ref segment.Next))
            {
                if (segment.HasReservations) return true;
                if (!segment.IsFrozen) return false;
            }
            return false;
        }
    }

    /// <summary>Approximate number of items (exact when no producer is racing).</summary>
    public int Count
    {
        get
        {
            long count = 0;
            for (var segment = Volatile.Read(ref _head); segment is not null; segment = Volatile.Read(ref segment.Next))
                count += segment.Reserved;
            return (int)Math.Min(count, int.MaxValue);
        }
    }

    private struct Slot
    {
        public T Item;
        // head + 1 when the slot holds the item for position head; position + Length when free for that position.
        public int Sequence;
    }

    private sealed class Segment
    {
        private readonly Slot[] _slots;
        private readonly int _mask;
        // Added to the tail by the freeze: every later reservation sees its slot as taken and fails, and the
        // consumer tells a frozen tail by its distance from the head (more than Length).
        private readonly int _freezeOffset;
        private int _headIndex; // consumer only (read elsewhere as a hint)
        private int _tailIndex;
        private int _freezing;
        private volatile bool _frozen;
        public Segment? Next;

        public Segment(int length)
        {
            _slots = new Slot[length];
            _mask = length - 1;
            _freezeOffset = length * 2;
            for (var i = 0; i < length; i++) _slots[i].Sequence = i;
        }

        public int Length => _slots.Length;

        public bool IsFrozen => _frozen;

        /// <summary>Frozen, and every slot reserved before the freeze has been taken.</summary>
        public bool IsDrained => _frozen && Volatile.Read(ref _tailIndex) - _freezeOffset - _headIndex <= 0;

        public bool HasReservations => ReservedTail - Volatile.Read(ref _headIndex) > 0;

        public int Reserved => Math.Max(0, ReservedTail - Volatile.Read(ref _headIndex));

        // The tail without the freeze offset: the end of the reserved positions.
        private int ReservedTail
        {
            get
            {
                var tail = Volatile.Read(ref _tailIndex);
                return tail - Volatile.Read(ref _headIndex) > _slots.Length ? tail - _freezeOffset : tail;
            }
        }

        public bool TryEnqueue(T item)
        {
            var slots = _slots;
            while (true)
            {
                var tail = Volatile.Read(ref _tailIndex);
                ref var slot = ref slots[tail & _mask];
                var diff = Volatile.Read(ref slot.Sequence) - tail;
                if (diff == 0)
                {
                    if (Interlocked.CompareExchange(ref _tailIndex, tail + 1, tail) == tail)
                    {
                        slot.Item = item;
                        Volatile.Write(ref slot.Sequence, tail + 1);
                        return true;
                    }
                }
                else if (diff < 0)
                {
                    return false; // full, or frozen
                }
                // diff > 0: another producer took this position first; look again.
            }
        }

        public bool TryDequeue(out T item)
        {
            var head = _headIndex;
            ref var slot = ref _slots[head & _mask];
            var spinner = new SpinWait();
            while (true)
            {
                if (Volatile.Read(ref slot.Sequence) == head + 1)
                {
                    item = slot.Item;
                    if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) slot.Item = default!;
                    Volatile.Write(ref slot.Sequence, head + _slots.Length);
                    Volatile.Write(ref _headIndex, head + 1);
                    return true;
                }
                if (ReservedTail - head <= 0)
                {
                    item = default!;
                    return false;
                }
                // Reserved by a producer that has not published yet: it is between two instructions, wait for it.
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }

        public void Freeze()
        {
            if (_frozen || Interlocked.Exchange(ref _freezing, 1) != 0)
            {
                // Another producer is freezing it: wait until the offset is in, so no caller moves on too early.
                var spinner = new SpinWait();
                while (!_frozen) spinner.SpinOnce(sleep1Threshold: -1);
                return;
            }
            Interlocked.Add(ref _tailIndex, _freezeOffset);
            _frozen = true;
        }
    }
}

using ActorTasks.Messages;

namespace ActorTasks.Tasks.Consumers;

/// <summary>A consumer's queue of tasks for one job: a ring buffer that can also put tasks back at its front.</summary>
internal sealed class WorkQueue
{
    private WorkItem[] _items = new WorkItem[16];
    private int _head;

    public int Count { get; private set; }

    public void EnqueueRange(ReadOnlySpan<WorkItem> items)
    {
        EnsureCapacity(Count + items.Length);
        foreach (var item in items)
        {
            _items[(_head + Count) % _items.Length] = item;
            Count++;
        }
    }

    /// <summary>Puts <paramref name="items"/> back in front, keeping their order (the first becomes the head).</summary>
    public void PushFront(ReadOnlySpan<WorkItem> items)
    {
        EnsureCapacity(Count + items.Length);
        for (var i = items.Length - 1; i >= 0; i--)
        {
            _head = (_head - 1 + _items.Length) % _items.Length;
            _items[_head] = items[i];
            Count++;
        }
    }

    /// <summary>Takes up to <paramref name="max"/> tasks from the front.</summary>
    public WorkItem[] Dequeue(int max)
    {
        var n = Math.Min(max, Count);
        var taken = new WorkItem[n];
        for (var i = 0; i < n; i++)
        {
            taken[i] = _items[_head];
            _items[_head] = default; // drop the payload reference
            _head = (_head + 1) % _items.Length;
        }
        Count -= n;
        return taken;
    }

    /// <summary>Takes up to <paramref name="max"/> tasks from the back (the last to have arrived), in queue order.</summary>
    public WorkItem[] TakeBack(int max)
    {
        var n = Math.Min(Math.Max(0, max), Count);
        var taken = new WorkItem[n];
        for (var i = 0; i < n; i++)
        {
            var at = (_head + Count - n + i) % _items.Length;
            taken[i] = _items[at];
            _items[at] = default; // drop the payload reference
        }
        Count -= n;
        return taken;
    }

    public void Clear()
    {
        Array.Clear(_items);
        _head = 0;
        Count = 0;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _items.Length) return;
        var size = _items.Length;
        while (size < needed) size *= 2;
        var grown = new WorkItem[size];
        for (var i = 0; i < Count; i++) grown[i] = _items[(_head + i) % _items.Length];
        _items = grown;
        _head = 0;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorTasks.Tasks.Tests.Support;

/// <summary>
/// What a test job's tasks, split and reducer did, recorded from the threads they run on (tasks run on the
/// thread pool, so this is test-side shared state and uses concurrent collections).
/// </summary>
public sealed class TaskLog
{
    private long _pulled;
    private long _completed;
    private long _maxAhead;
    private int _running;
    private int _maxRunning;
    private int _cancelsObserved;

    /// <summary>Each start of a task: its index and when (Stopwatch timestamp).</summary>
    public ConcurrentQueue<(long Index, long Timestamp)> Starts { get; } = new();

    /// <summary>How often the reducer was given each index.</summary>
    public ConcurrentDictionary<long, int> Reduced { get; } = new();

    /// <summary>Tasks pulled from the split so far.</summary>
    public long Pulled => Interlocked.Read(ref _pulled);

    /// <summary>Task bodies that have returned (successfully or not).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>The most tasks ever pulled from the split but not yet completed, seen at each pull.</summary>
    public long MaxAhead => Interlocked.Read(ref _maxAhead);

    /// <summary>The most task bodies that ever ran at the same time.</summary>
    public int MaxRunning => Volatile.Read(ref _maxRunning);

    /// <summary>Tasks that saw their cancellation token fire.</summary>
    public int CancelsObserved => Volatile.Read(ref _cancelsObserved);

    /// <summary>How often each index was started.</summary>
    public ConcurrentDictionary<long, int> StartCounts { get; } = new();

    public int StartCount(long index) => StartCounts.GetValueOrDefault(index);

    public long[] StartTimes(long index) => [.. Starts.Where(s => s.Index == index).Select(s => s.Timestamp)];

    public void OnPulled()
    {
        var pulled = Interlocked.Increment(ref _pulled);
        var ahead = pulled - Completed;
        for (var max = MaxAhead; ahead > max; max = MaxAhead)
            if (Interlocked.CompareExchange(ref _maxAhead, ahead, max) == max) break;
    }

    /// <summary>Records a start and returns which start of this index it is (1 for the first).</summary>
    public int OnStart(long index)
    {
        var attempt = StartCounts.AddOrUpdate(index, 1, (_, n) => n + 1);
        Starts.Enqueue((index, Stopwatch.GetTimestamp()));
        var running = Interlocked.Increment(ref _running);
        for (var max = MaxRunning; running > max; max = MaxRunning)
            if (Interlocked.CompareExchange(ref _maxRunning, running, max) == max) break;
        return attempt;
    }

    public void OnEnd()
    {
        Interlocked.Decrement(ref _running);
        Interlocked.Increment(ref _completed);
    }

    public void OnCancelObserved() => Interlocked.Increment(ref _cancelsObserved);

    public void OnReduced(long index) => Reduced.AddOrUpdate(index, 1, (_, n) => n + 1);
}

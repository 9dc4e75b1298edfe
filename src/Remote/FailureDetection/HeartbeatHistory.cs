using System.Collections.Immutable;

namespace ActorTasks.Remote.FailureDetection;

/// <summary>
/// The last <see cref="MaxSampleSize"/> intervals between heartbeats (in milliseconds), with running sums so mean and
/// variance cost O(1). Immutable: adding returns a new history, so a detector can swap it atomically.
/// </summary>
internal sealed class HeartbeatHistory
{
    private readonly ImmutableQueue<double> _intervals;
    private readonly double _sum;
    private readonly double _squaredSum;

    private HeartbeatHistory(int maxSampleSize, ImmutableQueue<double> intervals, int count, double sum, double squaredSum)
    {
        MaxSampleSize = maxSampleSize;
        _intervals = intervals;
        Count = count;
        _sum = sum;
        _squaredSum = squaredSum;
    }

    public static HeartbeatHistory Empty(int maxSampleSize)
    {
        if (maxSampleSize < 1)
            throw new ArgumentOutOfRangeException(nameof(maxSampleSize), maxSampleSize, "the history must keep at least one interval");
        return new HeartbeatHistory(maxSampleSize, ImmutableQueue<double>.Empty, 0, 0, 0);
    }

    public int MaxSampleSize { get; }

    public int Count { get; }

    public double Mean => Count == 0 ? 0 : _sum / Count;

    /// <summary>Population variance; clamped at zero because the running sums can drift a hair below it.</summary>
    public double Variance => Count == 0 ? 0 : Math.Max(0, _squaredSum / Count - Mean * Mean);

    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>A new history with <paramref name="intervalMs"/> appended and, past the window, the oldest interval dropped.</summary>
    public HeartbeatHistory Add(double intervalMs)
    {
        var intervals = _intervals.Enqueue(intervalMs);
        var count = Count + 1;
        var sum = _sum + intervalMs;
        var squaredSum = _squaredSum + intervalMs * intervalMs;
        if (count > MaxSampleSize)
        {
            intervals = intervals.Dequeue(out var dropped);
            count--;
            sum -= dropped;
            squaredSum -= dropped * dropped;
        }
        return new HeartbeatHistory(MaxSampleSize, intervals, count, sum, squaredSum);
    }
}

using System.Diagnostics;

namespace ActorTasks.Tasks.Collectors;

/// <summary>Tasks per second over the last few seconds, from samples of a growing count.</summary>
internal sealed class RateMeter(TimeSpan window)
{
    private readonly Queue<(long Timestamp, long Count)> _samples = new();

    /// <summary>Records that the count was <paramref name="count"/> at <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void Sample(long timestamp, long count)
    {
        _samples.Enqueue((timestamp, count));
        var oldest = timestamp - (long)(window.TotalSeconds * Stopwatch.Frequency);
        // Keep one sample at or before the window's start, so the rate spans the whole window.
        while (_samples.Count > 2 && ElementAt(1).Timestamp <= oldest) _samples.Dequeue();
    }

    /// <summary>The rate between the oldest and newest samples, 0 with fewer than two.</summary>
    public double PerSecond
    {
        get
        {
            if (_samples.Count < 2) return 0;
            var first = _samples.Peek();
            var last = ElementAt(_samples.Count - 1);
            var seconds = (last.Timestamp - first.Timestamp) / (double)Stopwatch.Frequency;
            return seconds <= 0 ? 0 : (last.Count - first.Count) / seconds;
        }
    }

    private (long Timestamp, long Count) ElementAt(int i) => _samples.ElementAt(i);
}

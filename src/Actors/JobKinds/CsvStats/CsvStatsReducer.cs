using System.Globalization;

namespace ActorTasks.Tasks.JobKinds.CsvStats;

/// <summary>Merges csv-stats task results exactly: Chan's formula for mean and variance, every value kept for the median and quartiles.</summary>
/// <remarks>
/// Memory: the reducer holds every value of the column, 8 bytes each (a 100-million-row column takes
/// 800 MB on the seed); that is the price of an exact median rather than a median of chunk medians.
/// </remarks>
internal sealed class CsvStatsReducer(string columnLabel) : IJobReducer
{
    private readonly List<double> _values = [];
    private readonly Dictionary<long, long> _linesOwnedByTask = [];
    // The first problems in file order, by (task, local line); only the first CsvStatsJob.MaxProblems are kept.
    private readonly SortedSet<(long Task, long Line, string Message)> _problems = [];
    private RunningStats _stats = new();
    private long _malformed;

    public void Add(long taskIndex, ReadOnlyMemory<byte> result)
    {
        var chunk = CsvChunkResult.Decode(result.Span);
        if (!_linesOwnedByTask.TryAdd(taskIndex, chunk.LinesOwned))
            throw new InvalidOperationException($"csv-stats result for task {taskIndex} was added twice");
        _stats.Merge(chunk.Stats);
        _values.AddRange(chunk.Values);
        _malformed += chunk.Malformed;
        foreach (var problem in chunk.Problems)
        {
            _problems.Add((taskIndex, problem.LocalLine, problem.Message));
            if (_problems.Count > CsvStatsJob.MaxProblems)
                _problems.Remove(_problems.Max);
        }
    }

    public JobOutput Complete()
    {
        _values.Sort();
        var inv = CultureInfo.InvariantCulture;
        string Number(double value) => double.IsNaN(value) ? "n/a" : value.ToString("R", inv);
        var empty = _stats.Count == 0;

        var summary = new List<KeyValuePair<string, string>>
        {
            new("column", columnLabel),
            new("count", _stats.Count.ToString(inv)),
            new("mean", empty ? "n/a" : Number(_stats.Mean)),
            new("std", Number(_stats.SampleStandardDeviation)),
            new("min", empty ? "n/a" : Number(_stats.Min)),
            new("q1", Number(Quantiles.Linear(_values, 0.25))),
            new("median", Number(Quantiles.Linear(_values, 0.5))),
            new("q3", Number(Quantiles.Linear(_values, 0.75))),
            new("max", empty ? "n/a" : Number(_stats.Max)),
            new("malformed rows", _malformed.ToString(inv)),
            new("tasks", _linesOwnedByTask.Count.ToString(inv)),
        };

        var lines = new List<string>();
        foreach (var (task, line, message) in _problems)
        {
            var before = LinesBefore(task);
            lines.Add(before is { } known
                ? $"line {(known + line + 1).ToString(inv)}: {message}"
                : $"line ? (line {(line + 1).ToString(inv)} of chunk {task.ToString(inv)}; an earlier chunk did not finish): {message}");
        }
        if (_malformed > _problems.Count)
            lines.Add($"… and {(_malformed - _problems.Count).ToString(inv)} more malformed rows");
        return new JobOutput(summary, lines);
    }

    /// <summary>How many lines start before task <paramref name="task"/>'s range, or null when an earlier task's result is missing.</summary>
    private long? LinesBefore(long task)
    {
        long sum = 0;
        for (long i = 0; i < task; i++)
        {
            if (!_linesOwnedByTask.TryGetValue(i, out var owned))
                return null;
            sum += owned;
        }
        return sum;
    }
}

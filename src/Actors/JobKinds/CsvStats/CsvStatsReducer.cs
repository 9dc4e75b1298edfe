using System.Globalization;
using System.Runtime.InteropServices;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.CsvStats;

/// <summary>Merges csv-stats task results exactly: Chan's formula for mean and variance, every value kept for the median and quartiles.</summary>
/// <remarks>
/// Memory: the reducer holds every value of the column, 8 bytes each (a 100-million-row column takes
/// 800 MB on the seed); that is the price of an exact median rather than a median of chunk medians.
/// <para>
/// Saved state: version 1; varint count of tasks, then per task in index order its index (as a gap, see
/// <see cref="ReducerState.WriteTaskIndex"/>) and a varint of the lines it owns; the running statistics as a task result
/// holds them (<see cref="RunningStats.Write"/>, so mean and M2 stay exact bits); varint malformed rows; the kept
/// problems in order (varint count; varint task, varint local line and a string each); then varint count of values and
/// every value as a raw 8-byte double, in the order they were added. A saved state is a byte array, so a column of more
/// than about 268 million values cannot be saved.
/// </para>
/// </remarks>
internal sealed class CsvStatsReducer(string columnLabel) : IResumableReducer
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

    public byte[] Save()
    {
        if (_values.Count > (Array.MaxLength - 64 - _linesOwnedByTask.Count * 20 - _problems.Sum(p => p.Message.Length * 3 + 20)) / 8)
            throw new InvalidOperationException($"a csv-stats reducer holding {_values.Count} values is too large to save in one state");
        var writer = ReducerState.Begin(64 + _values.Count * 8 + _linesOwnedByTask.Count * 4 + _problems.Sum(p => p.Message.Length + 8));
        writer.WriteVarUInt64((ulong)_linesOwnedByTask.Count);
        var previous = -1L;
        foreach (var (task, owned) in _linesOwnedByTask.OrderBy(t => t.Key))
        {
            ReducerState.WriteTaskIndex(writer, task, ref previous);
            writer.WriteVarUInt64((ulong)owned);
        }
        _stats.Write(writer);
        writer.WriteVarUInt64((ulong)_malformed);
        writer.WriteVarUInt64((ulong)_problems.Count);
        foreach (var (task, line, message) in _problems)
        {
            writer.WriteVarUInt64((ulong)task);
            writer.WriteVarUInt64((ulong)line);
            writer.WriteString(message);
        }
        writer.WriteVarUInt64((ulong)_values.Count);
        CsvChunkResult.WriteValues(writer, CollectionsMarshal.AsSpan(_values));
        return writer.ToArray();
    }

    public void Restore(ReadOnlySpan<byte> state)
    {
        ReducerState.EnsureFresh(_linesOwnedByTask.Count == 0, "csv-stats");
        var (linesOwned, stats, malformed, problems, values) = ReducerState.Read(state, "csv-stats", (ref PayloadReader reader) =>
        {
            var linesOwned = new KeyValuePair<long, long>[reader.ReadCount(2)];
            var previous = -1L;
            for (var i = 0; i < linesOwned.Length; i++)
                linesOwned[i] = new(ReducerState.ReadTaskIndex(ref reader, ref previous), ReducerState.ReadCount64(ref reader));
            var stats = RunningStats.Read(ref reader, "csv-stats reducer state");
            var malformed = ReducerState.ReadCount64(ref reader);
            var problems = new SortedSet<(long Task, long Line, string Message)>();
            var problemCount = reader.ReadCount(3);
            for (var i = 0; i < problemCount; i++)
                problems.Add((ReducerState.ReadCount64(ref reader), ReducerState.ReadCount64(ref reader), reader.ReadString()));
            if (problems.Count != problemCount || problemCount > CsvStatsJob.MaxProblems || problemCount > malformed)
                throw new InvalidDataException($"malformed csv-stats reducer state: {problemCount} problems kept ({problems.Count} distinct) of {malformed} malformed rows");
            var values = CsvChunkResult.ReadValues(ref reader, reader.ReadCount(8));
            if (values.Length != stats.Count)
                throw new InvalidDataException($"malformed csv-stats reducer state: {values.Length} values where the statistics count {stats.Count}");
            return (linesOwned, stats, malformed, problems, values);
        });
        foreach (var (task, owned) in linesOwned)
            _linesOwnedByTask.Add(task, owned);
        _stats = stats;
        _malformed = malformed;
        _problems.UnionWith(problems);
        _values.AddRange(values);
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

using System.Globalization;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.WordCount;

/// <summary>Adds up word counts from tasks in any order; the top N are by count, then by word in ordinal order.</summary>
/// <remarks>
/// Saved state: version 1; the tasks added (varint count, then ascending indexes as gaps, see
/// <see cref="ReducerState.WriteTaskIndex"/>); the tasks with errors (varint count, then per task its index as a gap
/// past the previous such task and its errors as a varint count and strings); then, to the end, the files, words and
/// counts so far as one <see cref="WordCountResult"/> with no errors, the encoding a task's result uses.
/// </remarks>
internal sealed class WordCountReducer(int top) : IResumableReducer
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, IReadOnlyList<string>> _errorsByTask = [];
    private readonly HashSet<long> _tasks = [];
    private long _files;
    private long _words;

    public void Add(long taskIndex, ReadOnlyMemory<byte> result)
    {
        if (!_tasks.Add(taskIndex))
            throw new InvalidOperationException($"wordcount result for task {taskIndex} was added twice");
        var decoded = WordCountResult.Decode(result.Span);
        _files += decoded.Files;
        _words += decoded.Words;
        if (decoded.Errors.Count > 0)
            _errorsByTask[taskIndex] = decoded.Errors;
        foreach (var (word, count) in decoded.Counts)
            _counts[word] = _counts.GetValueOrDefault(word) + count;
    }

    public JobOutput Complete()
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = _counts
            .OrderByDescending(c => c.Value)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(top)
            .Select(c => $"{c.Key}\t{c.Value.ToString(inv)}")
            .ToList();
        var errors = _errorsByTask.Values.SelectMany(e => e).ToList();
        lines.AddRange(errors.Select(e => "error: " + e));
        return new JobOutput(
            [
                new("files", _files.ToString(inv)),
                new("words", _words.ToString(inv)),
                new("distinct words", _counts.Count.ToString(inv)),
                new("errors", errors.Count.ToString(inv)),
                new("tasks", _tasks.Count.ToString(inv)),
            ],
            lines);
    }

    public byte[] Save()
    {
        var totals = new WordCountResult(_files, _words, [], _counts).Encode();
        var writer = ReducerState.Begin(16 + _tasks.Count * 2 + _errorsByTask.Values.Sum(e => e.Sum(m => m.Length + 2) + 4) + totals.Length);
        writer.WriteVarUInt64((ulong)_tasks.Count);
        var previous = -1L;
        foreach (var task in _tasks.Order())
            ReducerState.WriteTaskIndex(writer, task, ref previous);
        writer.WriteVarUInt64((ulong)_errorsByTask.Count);
        previous = -1L;
        foreach (var (task, errors) in _errorsByTask)
        {
            ReducerState.WriteTaskIndex(writer, task, ref previous);
            writer.WriteVarUInt64((ulong)errors.Count);
            foreach (var error in errors)
                writer.WriteString(error);
        }
        writer.WriteBytes(totals.Span);
        return writer.ToArray();
    }

    public void Restore(ReadOnlySpan<byte> state)
    {
        ReducerState.EnsureFresh(_tasks.Count == 0, "wordcount");
        var (tasks, errorsByTask, totals) = ReducerState.Read(state, "wordcount", (ref PayloadReader reader) =>
        {
            var tasks = new long[reader.ReadCount()];
            var previous = -1L;
            for (var i = 0; i < tasks.Length; i++)
                tasks[i] = ReducerState.ReadTaskIndex(ref reader, ref previous);
            var errorsByTask = new KeyValuePair<long, IReadOnlyList<string>>[reader.ReadCount(2)];
            previous = -1L;
            for (var i = 0; i < errorsByTask.Length; i++)
            {
                var task = ReducerState.ReadTaskIndex(ref reader, ref previous);
                if (Array.BinarySearch(tasks, task) < 0)
                    throw new InvalidDataException($"malformed wordcount reducer state: errors of task {task}, which was not added");
                var errors = new string[reader.ReadCount()];
                if (errors.Length == 0)
                    throw new InvalidDataException($"malformed wordcount reducer state: an empty list of errors for task {task}");
                for (var j = 0; j < errors.Length; j++)
                    errors[j] = reader.ReadString();
                errorsByTask[i] = new(task, errors);
            }
            var totals = WordCountResult.Decode(reader.ReadBytes(reader.Remaining));
            if (totals.Errors.Count > 0)
                throw new InvalidDataException("malformed wordcount reducer state: errors among the totals");
            return (tasks, errorsByTask, totals);
        });
        _tasks.UnionWith(tasks);
        foreach (var (task, errors) in errorsByTask)
            _errorsByTask.Add(task, errors);
        _files = totals.Files;
        _words = totals.Words;
        foreach (var (word, count) in totals.Counts)
            _counts.Add(word, count);
    }
}

using System.Globalization;

namespace ActorTasks.Tasks.JobKinds.WordCount;

/// <summary>Adds up word counts from tasks in any order; the top N are by count, then by word in ordinal order.</summary>
internal sealed class WordCountReducer(int top) : IJobReducer
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
}

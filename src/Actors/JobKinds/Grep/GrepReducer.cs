using System.Globalization;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Grep;

/// <summary>Keeps each task's lines under its index, so the output is in file order whatever order results arrive in.</summary>
internal sealed class GrepReducer : IJobReducer
{
    private readonly SortedDictionary<long, GrepResult> _results = [];
    private long _files;
    private long _matches;
    private long _binary;
    private long _errors;

    public void Add(long taskIndex, ReadOnlyMemory<byte> result)
    {
        var decoded = JsonPayload.Decode(result.Span, GrepJsonContext.Default.GrepResult, "grep result");
        if (!_results.TryAdd(taskIndex, decoded))
            throw new InvalidOperationException($"grep result for task {taskIndex} was added twice");
        _files += decoded.Files;
        _matches += decoded.Matches;
        _binary += decoded.BinarySkipped;
        _errors += decoded.Errors.Count;
    }

    public JobOutput Complete()
    {
        var lines = new List<string>();
        foreach (var result in _results.Values)
            lines.AddRange(result.Lines);
        foreach (var result in _results.Values)
            lines.AddRange(result.Errors.Select(e => "error: " + e));

        var inv = CultureInfo.InvariantCulture;
        return new JobOutput(
            [
                new("files", _files.ToString(inv)),
                new("matches", _matches.ToString(inv)),
                new("binary files skipped", _binary.ToString(inv)),
                new("errors", _errors.ToString(inv)),
                new("tasks", _results.Count.ToString(inv)),
            ],
            lines);
    }
}

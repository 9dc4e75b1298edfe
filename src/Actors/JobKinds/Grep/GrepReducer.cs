using System.Globalization;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Grep;

/// <summary>
/// Keeps each task's result under its index, and at the end prints the matches in walk order, numbering the lines of
/// a file searched in parts by adding up the lines of its earlier parts.
/// </summary>
/// <remarks>
/// Saved state: version 1, a varint count of results, then per result in task order its task index (as the gap past
/// the previous one, see <see cref="ReducerState.WriteTaskIndex"/>) and its <see cref="GrepResult"/> encoding, prefixed
/// by its varint length: the state is the results themselves, as the tasks returned them.
/// </remarks>
internal sealed class GrepReducer : IResumableReducer
{
    private readonly SortedDictionary<long, GrepResult> _results = [];

    public void Add(long taskIndex, ReadOnlyMemory<byte> result)
    {
        var decoded = GrepResult.Decode(result.Span);
        if (!_results.TryAdd(taskIndex, decoded))
            throw new InvalidOperationException($"grep result for task {taskIndex} was added twice");
    }

    public JobOutput Complete()
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string>();
        var errors = new List<string>();
        long files = 0, matches = 0, binaryMatching = 0;

        // A file's parts are consecutive in task order; a missing task (a cancelled job) leaves a gap in its parts.
        var segments = _results.Values.SelectMany(r => r.Segments).ToList();
        for (var i = 0; i < segments.Count;)
        {
            var j = i + 1;
            while (j < segments.Count && !segments[j].WholeFile && segments[j].Part > 0 && segments[j].Path == segments[i].Path) j++;
            var parts = segments.GetRange(i, j - i);
            i = j;

            var display = parts[0].Display;
            if (parts[0].Part == 0) files++;
            var fileMatches = parts.Sum(p => p.Matches);
            matches += fileMatches;
            foreach (var part in parts.Where(p => p.Error is not null))
                errors.Add($"{display}: {part.Error}");
            if (parts.Any(p => p.Binary))
            {
                if (fileMatches == 0) continue;
                binaryMatching++;
                lines.Add($"Binary file {display} matches");
                continue;
            }
            // Line numbers are known while the parts run on from the first without a gap.
            long? before = parts[0].Part == 0 ? 0 : null;
            var expected = parts[0].Part;
            foreach (var part in parts)
            {
                if (part.Part != expected) before = null;
                expected = part.Part + 1;
                foreach (var match in part.Found)
                {
                    var number = before is { } known ? (known + match.LocalLine + 1).ToString(inv) : "?";
                    lines.Add($"{display}:{number}:{match.Text}");
                }
                before += part.Lines;
            }
        }
        foreach (var result in _results.Values)
            errors.AddRange(result.WalkErrors);
        lines.AddRange(errors.Select(e => "error: " + e));

        return new JobOutput(
            [
                new("files", files.ToString(inv)),
                new("matches", matches.ToString(inv)),
                new("binary files matching", binaryMatching.ToString(inv)),
                new("errors", errors.Count.ToString(inv)),
                new("tasks", _results.Count.ToString(inv)),
            ],
            lines);
    }

    public byte[] Save()
    {
        var writer = ReducerState.Begin();
        writer.WriteVarUInt64((ulong)_results.Count);
        var previous = -1L;
        foreach (var (index, result) in _results)
        {
            ReducerState.WriteTaskIndex(writer, index, ref previous);
            var encoded = result.Encode();
            writer.WriteVarUInt64((ulong)encoded.Length);
            writer.WriteBytes(encoded.Span);
        }
        return writer.ToArray();
    }

    public void Restore(ReadOnlySpan<byte> state)
    {
        ReducerState.EnsureFresh(_results.Count == 0, "grep");
        var results = ReducerState.Read(state, "grep", (ref PayloadReader reader) =>
        {
            // A result takes at least its index and its length (a byte each) and two empty counts.
            var results = new KeyValuePair<long, GrepResult>[reader.ReadCount(4)];
            var previous = -1L;
            for (var i = 0; i < results.Length; i++)
            {
                var index = ReducerState.ReadTaskIndex(ref reader, ref previous);
                results[i] = new(index, GrepResult.Decode(reader.ReadBytes(reader.ReadCount())));
            }
            return results;
        });
        foreach (var (index, result) in results)
            _results.Add(index, result);
    }
}

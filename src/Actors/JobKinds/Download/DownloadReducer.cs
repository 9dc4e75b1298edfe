using System.Globalization;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Download;

/// <summary>Keeps one line per downloaded file, in the order of the URLs file, and adds up files, bytes and attempts.</summary>
/// <remarks>
/// Saved state: version 1, varints bytes, attempts and resumed files, a varint count of lines, then per line in task
/// order its task index (as the gap past the previous one, see <see cref="ReducerState.WriteTaskIndex"/>) and the line.
/// </remarks>
internal sealed class DownloadReducer(string outFolder) : IResumableReducer
{
    private const string Kind = "download";

    // Path, bytes, SHA-256, status, attempts, URL.
    private const int FieldsPerLine = 6;

    private readonly SortedDictionary<long, string> _lines = [];
    private long _bytes;
    private long _attempts;
    private long _resumed;

    public void Add(long taskIndex, ReadOnlyMemory<byte> result)
    {
        var file = JsonPayload.Decode(result.Span, DownloadJsonContext.Default.DownloadResult, "download result");
        if (!_lines.TryAdd(taskIndex, Line(file)))
            throw new InvalidOperationException($"download result for task {taskIndex} was added twice");
        _bytes += file.Bytes;
        _attempts += file.Attempts;
        if (file.ResumedFrom > 0) _resumed++;
    }

    public JobOutput Complete() => new(
        [
            new("files", _lines.Count.ToString(CultureInfo.InvariantCulture)),
            new("bytes", _bytes.ToString(CultureInfo.InvariantCulture)),
            new("attempts", _attempts.ToString(CultureInfo.InvariantCulture)),
            new("resumed", _resumed.ToString(CultureInfo.InvariantCulture)),
            new("out", outFolder),
        ],
        [.. _lines.Values]);

    public byte[] Save()
    {
        var writer = ReducerState.Begin(_lines.Count * 128);
        writer.WriteVarUInt64((ulong)_bytes);
        writer.WriteVarUInt64((ulong)_attempts);
        writer.WriteVarUInt64((ulong)_resumed);
        writer.WriteVarUInt64((ulong)_lines.Count);
        var previous = -1L;
        foreach (var (index, line) in _lines)
        {
            ReducerState.WriteTaskIndex(writer, index, ref previous);
            writer.WriteString(line);
        }
        return writer.ToArray();
    }

    public void Restore(ReadOnlySpan<byte> state)
    {
        ReducerState.EnsureFresh(_lines.Count == 0, Kind);
        var (bytes, attempts, resumed, lines) = ReducerState.Read(state, Kind, (ref PayloadReader reader) =>
        {
            var bytes = ReducerState.ReadCount64(ref reader);
            var attempts = ReducerState.ReadCount64(ref reader);
            var resumed = ReducerState.ReadCount64(ref reader);
            // A line takes at least its index and its length, a byte each, and its tabs.
            var lines = new KeyValuePair<long, string>[reader.ReadCount(2 + FieldsPerLine - 1)];
            var previous = -1L;
            for (var i = 0; i < lines.Length; i++)
            {
                var index = ReducerState.ReadTaskIndex(ref reader, ref previous);
                var line = reader.ReadString();
                if (line.Count(c => c == '\t') != FieldsPerLine - 1)
                    throw new InvalidDataException($"the line of task {index} does not have {FieldsPerLine} fields");
                lines[i] = new(index, line);
            }
            // Every file took an attempt at least; a file resumed is one of them.
            if (attempts < lines.Length || resumed > lines.Length)
                throw new InvalidDataException($"{attempts} attempts and {resumed} resumed for {lines.Length} files");
            return (bytes, attempts, resumed, lines);
        });
        foreach (var (index, line) in lines)
            _lines.Add(index, line);
        (_bytes, _attempts, _resumed) = (bytes, attempts, resumed);
    }

    /// <summary>A result line: path under OUT, bytes, SHA-256, HTTP status, attempts and URL, separated by tabs.</summary>
    internal static string Line(DownloadResult file) => string.Join('\t',
        file.Target, file.Bytes.ToString(CultureInfo.InvariantCulture), file.Sha256,
        file.Status.ToString(CultureInfo.InvariantCulture), file.Attempts.ToString(CultureInfo.InvariantCulture), file.Url);
}

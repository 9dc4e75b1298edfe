using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using ActorTasks.Tasks.JobKinds;

namespace ReverseLines;

/// <summary><c>reverse-lines PATH [--lines-per-task N]</c>: every line of a text file, written backwards, in file order.</summary>
/// <remarks>An example plug-in: a public class with a public parameterless constructor is all a node needs to find it.</remarks>
public sealed class ReverseLinesJobKind : IJobKind
{
    /// <inheritdoc />
    public string Name => "reverse-lines";

    /// <inheritdoc />
    public string Usage => "reverse-lines PATH [--lines-per-task N]";

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments)
    {
        string? path = null;
        var linesPerTask = 1000;
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == "--lines-per-task")
            {
                if (i + 1 == arguments.Count)
                    throw new JobArgumentException("--lines-per-task", "needs a value");
                if (!int.TryParse(arguments[++i], NumberStyles.None, CultureInfo.InvariantCulture, out linesPerTask) || linesPerTask < 1)
                    throw new JobArgumentException("--lines-per-task", $"'{arguments[i]}' is not a positive whole number");
            }
            else if (arguments[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new JobArgumentException(arguments[i], $"unknown option (usage: {Usage})");
            }
            else if (path is null)
            {
                path = arguments[i];
            }
            else
            {
                throw new JobArgumentException(arguments[i], $"is one argument too many (usage: {Usage})");
            }
        }
        if (path is null)
            throw new JobArgumentException("PATH", $"is missing (usage: {Usage})");
        if (!File.Exists(path))
            throw new JobArgumentException("PATH", $"no such file: '{path}'");
        return new ReverseLinesJob(Path.GetFullPath(path), linesPerTask);
    }
}

/// <summary>Tasks carry their lines (UTF-8, '\n'-separated); results carry the reversed lines the same way.</summary>
internal sealed class ReverseLinesJob(string path, int linesPerTask) : IPreparedJob
{
    private static readonly IReadOnlyDictionary<string, int> NoResources = new Dictionary<string, int>();

    public IReadOnlyDictionary<string, int> ResourcesPerTask => NoResources;

    public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
    {
        var batch = new List<string>(linesPerTask);
        foreach (var line in File.ReadLines(path))
        {
            cancellationToken.ThrowIfCancellationRequested();
            batch.Add(line);
            if (batch.Count == linesPerTask)
            {
                yield return Encode(batch);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
            yield return Encode(batch);
    }

    public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context)
    {
        var lines = Decode(task);
        for (var i = 0; i < lines.Count; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            lines[i] = Reverse(lines[i]);
        }
        context.Report("lines", lines.Count);
        return ValueTask.FromResult(Encode(lines));
    }

    public IJobReducer CreateReducer() => new ReverseLinesReducer();

    /// <summary>Reverses by text element, so "é" written as e + combining accent stays one character.</summary>
    internal static string Reverse(string line)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(line);
        while (enumerator.MoveNext())
            elements.Add(enumerator.GetTextElement());
        elements.Reverse();
        return string.Concat(elements);
    }

    internal static ReadOnlyMemory<byte> Encode(IReadOnlyList<string> lines)
    {
        // A 4-byte line count first, so that zero lines and one empty line differ.
        var text = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        var payload = new byte[4 + text.Length];
        BinaryPrimitives.WriteInt32LittleEndian(payload, lines.Count);
        text.CopyTo(payload, 4);
        return payload;
    }

    internal static List<string> Decode(ReadOnlyMemory<byte> payload)
    {
        if (payload.Length < 4)
            throw new InvalidDataException($"malformed reverse-lines payload: {payload.Length} bytes");
        var count = BinaryPrimitives.ReadInt32LittleEndian(payload.Span);
        if (count == 0)
            return [];
        var lines = Encoding.UTF8.GetString(payload.Span[4..]).Split('\n').ToList();
        if (lines.Count != count)
            throw new InvalidDataException($"malformed reverse-lines payload: {lines.Count} lines where {count} were announced");
        return lines;
    }
}

/// <summary>Keeps each task's lines under its index and joins them in file order.</summary>
/// <remarks>
/// Resumable: its state is the results it holds, so that a job goes on after a seed restart from the last results the
/// journal kept. Saved as a version byte (1), a 4-byte count of batches, then per batch in task order its 8-byte task
/// index, the 4-byte length of its result and the result's own bytes (little-endian throughout).
/// </remarks>
internal sealed class ReverseLinesReducer : IResumableReducer
{
    private const byte StateVersion = 1;

    private readonly SortedDictionary<long, List<string>> _batches = [];

    public void Add(long taskIndex, ReadOnlyMemory<byte> result) => _batches.Add(taskIndex, ReverseLinesJob.Decode(result));

    public JobOutput Complete()
    {
        var lines = _batches.Values.SelectMany(b => b).ToList();
        return new JobOutput([new("lines", lines.Count.ToString(CultureInfo.InvariantCulture))], lines);
    }

    public byte[] Save()
    {
        var state = new MemoryStream();
        Span<byte> header = stackalloc byte[12];
        state.WriteByte(StateVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header, _batches.Count);
        state.Write(header[..4]);
        foreach (var (index, lines) in _batches)
        {
            var result = ReverseLinesJob.Encode(lines);
            BinaryPrimitives.WriteInt64LittleEndian(header, index);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], result.Length);
            state.Write(header);
            state.Write(result.Span);
        }
        return state.ToArray();
    }

    public void Restore(ReadOnlySpan<byte> state)
    {
        if (_batches.Count > 0)
            throw new InvalidOperationException("a reverse-lines reducer state can only be restored into a fresh reducer");
        if (state.Length < 5 || state[0] != StateVersion)
            throw Malformed(state.Length < 5 ? $"{state.Length} bytes" : $"version {state[0]}, expected {StateVersion}");
        var count = BinaryPrimitives.ReadInt32LittleEndian(state[1..]);
        if (count < 0 || count > (state.Length - 5) / 12)
            throw Malformed($"{count} batches in {state.Length} bytes");
        // Decoded aside first, so that bytes that cannot be read leave this reducer as fresh as it was.
        var batches = new List<(long Index, List<string> Lines)>(count);
        var rest = state[5..];
        for (var i = 0; i < count; i++)
        {
            if (rest.Length < 12)
                throw Malformed($"it ends inside batch {i} of {count}");
            var index = BinaryPrimitives.ReadInt64LittleEndian(rest);
            var length = BinaryPrimitives.ReadInt32LittleEndian(rest[8..]);
            if (index < 0 || (batches.Count > 0 && index <= batches[^1].Index))
                throw Malformed($"task index {index} after {(batches.Count > 0 ? batches[^1].Index : -1)}");
            if (length < 0 || length > rest.Length - 12)
                throw Malformed($"a result of {length} bytes where {rest.Length - 12} are left");
            batches.Add((index, ReverseLinesJob.Decode(rest.Slice(12, length).ToArray())));
            rest = rest[(12 + length)..];
        }
        if (!rest.IsEmpty)
            throw Malformed($"{rest.Length} bytes after the last batch");
        foreach (var (index, lines) in batches)
            _batches.Add(index, lines);
    }

    private static InvalidDataException Malformed(string detail) => new($"malformed reverse-lines reducer state: {detail}");
}

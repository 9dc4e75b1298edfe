using System.Buffers;
using System.Globalization;
using System.Text;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.CsvStats;

/// <summary>A prepared csv-stats: tasks are byte ranges of the file; a task owns the lines that start in its range.</summary>
/// <remarks>
/// A line starts at offset 0 or right after a '\n'. A task skips to the first line start at or after its
/// range's start and reads whole lines (past its range's end if need be) while they start before the end,
/// so every line belongs to exactly one task whatever the chunk size. A task knows its byte offset, not
/// its line number: it returns how many lines it owns and the reducer turns local line indexes into file
/// line numbers by adding up the lines of the tasks before it.
/// </remarks>
internal sealed class CsvStatsJob(string file, int column, string columnLabel, byte delimiter, bool hasHeader, long chunkBytes) : IPreparedJob
{
    /// <summary>A task reports at most this many malformed rows (the job reports the first this many overall).</summary>
    internal const int MaxProblems = 10;

    private const int LinesBetweenCancellationChecks = 8192;

    public IReadOnlyDictionary<string, int> ResourcesPerTask => NoResources.Instance;

    public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
    {
        var length = new FileInfo(file).Length;
        for (long start = 0; start < length; start += Math.Min(chunkBytes, length - start))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var writer = new PayloadWriter(16);
            writer.WriteInt64(start);
            writer.WriteInt64(Math.Min(length, start + chunkBytes));
            yield return writer.ToMemory();
        }
    }

    public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context)
    {
        var reader = new PayloadReader(task.Span, "csv-stats task");
        var start = reader.ReadInt64();
        var end = reader.ReadInt64();
        reader.ExpectEnd();
        if (start < 0 || end <= start)
            throw new InvalidDataException($"malformed csv-stats task payload: range [{start}, {end}) is empty or negative");
        return ValueTask.FromResult(ProcessRange(start, end, context.CancellationToken).Encode());
    }

    public IJobReducer CreateReducer() => new CsvStatsReducer(columnLabel);

    /// <summary>Strips the '\r' of a CRLF ending, and the UTF-8 byte order mark from the file's first line.</summary>
    internal static ReadOnlySpan<byte> TrimLine(ReadOnlySpan<byte> line, long lineStart)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r')
            line = line[..^1];
        if (lineStart == 0 && line.StartsWith("\uFEFF"u8))
            line = line[3..];
        return line;
    }

    internal static string Describe(CsvFieldError error, int fieldIndex) => error switch
    {
        CsvFieldError.UnterminatedQuote => $"an unterminated quoted field (field {fieldIndex + 1})",
        CsvFieldError.TextAfterQuote => $"text after the closing quote of field {fieldIndex + 1}",
        _ => "no error",
    };

    private CsvChunkResult ProcessRange(long start, long end, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        var first = FirstLineStartAtOrAfter(stream, start, end);
        var stats = new RunningStats();
        var values = new List<double>();
        var problems = new List<CsvProblem>();
        long malformed = 0;
        long owned = 0;
        if (first >= end)
            return new CsvChunkResult(0, stats, 0, problems, []);

        stream.Position = first;
        // A small range gets a small first buffer; it grows if a line needs more.
        var lines = new ByteLineReader(stream, first, CsvStatsJobKind.MaxLineBytes, (int)Math.Clamp(end - first + 256, 4096, 1 << 16));
        var scratch = new ArrayBufferWriter<byte>();
        while (lines.NextLineStart < end)
        {
            var lineStart = lines.NextLineStart;
            if (!lines.TryReadLine(out var line, out var tooLong))
                break;
            var local = owned++;
            if (owned % LinesBetweenCancellationChecks == 0)
                cancellationToken.ThrowIfCancellationRequested();

            string? problem;
            if (tooLong)
            {
                problem = $"the line is longer than {CsvStatsJobKind.MaxLineBytes} bytes";
            }
            else
            {
                line = TrimLine(line, lineStart);
                if (line.IsEmpty || (hasHeader && lineStart == 0))
                    continue;
                problem = ReadValue(line, scratch, out var value);
                if (problem is null)
                {
                    stats.Add(value);
                    values.Add(value);
                    continue;
                }
            }

            malformed++;
            if (problems.Count < MaxProblems)
                problems.Add(new CsvProblem(local, problem));
        }
        return new CsvChunkResult(owned, stats, malformed, problems, [.. values]);
    }

    /// <summary>Reads the column's number from a line; returns what is wrong with the row, or null.</summary>
    private string? ReadValue(ReadOnlySpan<byte> line, ArrayBufferWriter<byte> scratch, out double value)
    {
        value = 0;
        var fields = new CsvFieldReader(line, delimiter, scratch);
        ReadOnlySpan<byte> field = default;
        var found = false;
        while (fields.TryNext(out var next, out var error) || error != CsvFieldError.None)
        {
            if (error != CsvFieldError.None)
                return $"the row has {Describe(error, fields.FieldIndex + 1)}";
            if (fields.FieldIndex == column)
            {
                field = next;
                found = true;
                break;
            }
        }
        if (!found)
            return $"the row has {fields.FieldIndex + 1} field(s); column {columnLabel} is field {column + 1}";

        field = field.Trim(" \t"u8);
        if (field.IsEmpty)
            return $"column {columnLabel} is empty";
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            return $"column {columnLabel} is '{Shorten(field)}', not a number";
        if (!double.IsFinite(value))
            return $"column {columnLabel} is '{Shorten(field)}', not a finite number";
        return null;
    }

    private static string Shorten(ReadOnlySpan<byte> field)
    {
        var text = Encoding.UTF8.GetString(field[..Math.Min(field.Length, 60)]);
        return field.Length > 60 ? text + "…" : text;
    }

    /// <summary>The offset of the first line that starts in [start, end), or <paramref name="end"/> when none does.</summary>
    private static long FirstLineStartAtOrAfter(FileStream stream, long start, long end)
    {
        if (start == 0)
            return 0;
        // A line starts at p when the byte at p − 1 is '\n'; look only at bytes [start − 1, end − 1).
        stream.Position = start - 1;
        var buffer = new byte[(int)Math.Min(1 << 16, end - start + 1)];
        var position = start - 1;
        while (position < end - 1)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, end - 1 - position));
            if (read == 0)
                return end;
            var newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
                return position + newline + 1;
            position += read;
        }
        return end;
    }
}

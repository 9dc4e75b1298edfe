using System.Buffers;
using System.Globalization;
using System.Text;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.CsvStats;

/// <summary>A prepared csv-stats: tasks are byte ranges of the file that begin and end at record boundaries.</summary>
/// <remarks>
/// A record ends at a '\n' outside a quoted field, so a quoted field may hold line breaks. The split reads the file
/// once, looking only at quotes and line breaks (<see cref="CsvRecords.BoundaryScanner"/>), and cuts it into ranges of
/// about the chunk size at record starts; a task reads whole records from its range's start while they start before
/// its end. Every record thus belongs to exactly one task, and no task starts inside a quoted field. A task knows its
/// byte offset, not its line number: it returns how many lines its records span, and the reducer turns local line
/// indexes into file line numbers by adding up the lines of the tasks before it. The header is the first record that
/// is not blank, at <paramref name="headerOffset"/> (−1 without one).
/// </remarks>
internal sealed class CsvStatsJob(string file, int column, string columnLabel, byte delimiter, long headerOffset, long chunkBytes) : IPreparedJob
{
    /// <summary>A task reports at most this many malformed rows (the job reports the first this many overall).</summary>
    internal const int MaxProblems = 10;

    private const int LinesBetweenCancellationChecks = 8192;

    public IReadOnlyDictionary<string, int> ResourcesPerTask => NoResources.Instance;

    public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
    {
        var length = new FileInfo(file).Length;
        using var scanner = new CsvRecords.BoundaryScanner(
            new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan), delimiter);
        for (long start = 0; start < length;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(length, scanner.NextRecordStart(start + chunkBytes));
            var writer = new PayloadWriter(16);
            writer.WriteInt64(start);
            writer.WriteInt64(end);
            yield return writer.ToMemory();
            start = end;
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
        var stats = new RunningStats();
        var values = new List<double>();
        var problems = new List<CsvProblem>();
        long malformed = 0;
        long owned = 0;
        stream.Position = start;
        // A small range gets a small first buffer; it grows if a line needs more.
        var lines = new ByteLineReader(stream, start, CsvStatsJobKind.MaxLineBytes, (int)Math.Clamp(end - start + 256, 4096, 1 << 16));
        var scratch = new ArrayBufferWriter<byte>();
        var record = new ArrayBufferWriter<byte>();
        while (lines.NextLineStart < end)
        {
            var recordStart = lines.NextLineStart;
            if (!lines.TryReadLine(out var line, out var tooLong))
                break;
            var local = owned++;
            if (owned % LinesBetweenCancellationChecks == 0)
                cancellationToken.ThrowIfCancellationRequested();

            // A quoted field open at the end of the line goes on on the next: the record is the lines joined by '\n'.
            var inside = !tooLong && CsvRecords.EndsInsideQuotes(line, delimiter, startsInside: false);
            if (inside)
            {
                record.ResetWrittenCount();
                record.Write(line);
                while (inside && lines.TryReadLine(out var more, out var moreTooLong))
                {
                    owned++;
                    tooLong |= moreTooLong || record.WrittenCount + more.Length + 1 > CsvStatsJobKind.MaxLineBytes;
                    inside = !moreTooLong && CsvRecords.EndsInsideQuotes(more, delimiter, startsInside: true);
                    if (tooLong) continue;
                    record.Write("\n"u8);
                    record.Write(more);
                }
                line = record.WrittenSpan;
            }

            string? problem;
            if (tooLong)
            {
                problem = $"the record is longer than {CsvStatsJobKind.MaxLineBytes} bytes";
            }
            else
            {
                line = TrimLine(line, recordStart);
                if (line.IsEmpty || recordStart == headerOffset)
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
        // A row whose quoting breaks after the column is malformed too; only a quote can break it.
        if (found && fields.RemainingHasQuote)
        {
            var copy = field.ToArray();
            while (fields.TryNext(out _, out var error) || error != CsvFieldError.None)
            {
                if (error != CsvFieldError.None)
                    return $"the row has {Describe(error, fields.FieldIndex + 1)}";
            }
            field = copy;
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
        var text = ActorTasks.Messages.DisplayText.Escape(Encoding.UTF8.GetString(field[..Math.Min(field.Length, 60)]));
        return field.Length > 60 ? text + "…" : text;
    }
}

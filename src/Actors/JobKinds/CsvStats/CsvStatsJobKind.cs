using System.Buffers;
using System.Globalization;
using System.Text;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.CsvStats;

/// <summary><c>csv-stats FILE --column NAME [--delimiter ,] [--no-header] [--chunk-bytes N]</c>: count, mean, sample std, min, max, exact median and quartiles of one column.</summary>
public sealed class CsvStatsJobKind : IJobKind
{
    /// <summary>Bytes per task unless --chunk-bytes says otherwise.</summary>
    /// <remarks>
    /// A task returns 8 bytes per value it read, up to 4 times its range for rows as short as "1\n"; at 1 MiB a
    /// result stays under actortasks.tasks.max-result-bytes (3 MiB) for any CSV whose rows average 3 bytes or more.
    /// </remarks>
    public const long DefaultChunkBytes = 1L << 20;

    /// <summary>A line longer than this is counted as malformed and skipped without being held in memory.</summary>
    internal const int MaxLineBytes = 16 << 20;

    // Smaller ranges than this would make a task of a handful of lines; larger ones hold up the last tasks of a job.
    private const long MinChunkBytes = 1024, MaxChunkBytes = 1L << 30;

    private readonly long _chunkBytes;

    /// <summary>A csv-stats kind that splits files into 1 MiB ranges.</summary>
    public CsvStatsJobKind() : this(DefaultChunkBytes)
    {
    }

    /// <summary>A csv-stats kind with <paramref name="chunkBytes"/> per task (tests use tiny chunks to cross many boundaries).</summary>
    internal CsvStatsJobKind(long chunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        _chunkBytes = chunkBytes;
    }

    /// <inheritdoc />
    public string Name => "csv-stats";

    /// <inheritdoc />
    public string Usage => "csv-stats FILE --column NAME [--delimiter ,] [--no-header] [--chunk-bytes N]";

    private static readonly JobOption[] Options =
    [
        new JobOption("--column", TakesValue: true), new JobOption("--delimiter", TakesValue: true), new JobOption("--no-header", TakesValue: false),
        new JobOption("--chunk-bytes", TakesValue: true),
    ];

    /// <inheritdoc />
    public IReadOnlyList<string> ResolvePaths(IReadOnlyList<string> arguments, string directory) =>
        JobArguments.ResolvePaths(arguments, Options, position => position == 0, directory);

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments)
    {
        var parsed = JobArguments.Parse(arguments, Usage, ["FILE"], Options);

        var file = parsed.Positionals[0];
        if (Directory.Exists(file))
            throw new JobArgumentException("FILE", $"'{file}' is a directory, not a CSV file");
        if (file.Length == 0 || !File.Exists(file))
            throw new JobArgumentException("FILE", $"no such file: '{file}'");

        var delimiter = ParseDelimiter(parsed.Value("--delimiter", ","));
        var chunkBytes = parsed.Number("--chunk-bytes", _chunkBytes, MinChunkBytes, MaxChunkBytes);
        if (!parsed.Has("--column"))
            throw new JobArgumentException("--column", $"is required (usage: {Usage})");
        var columnText = parsed.Value("--column", "");

        var hasHeader = !parsed.Has("--no-header");
        int column;
        string columnLabel;
        long headerOffset = -1;
        if (hasHeader)
        {
            var (names, offset) = ReadHeader(file, delimiter);
            headerOffset = offset;
            column = names.FindIndex(n => n.Trim() == columnText.Trim());
            if (column < 0)
            {
                var shown = names.Count <= 50 ? string.Join(", ", names) : string.Join(", ", names.Take(50)) + $", … ({names.Count} in all)";
                throw new JobArgumentException("--column", $"no column named '{columnText}'; columns are: {shown}");
            }
            columnLabel = $"'{names[column].Trim()}'";
        }
        else
        {
            if (!int.TryParse(columnText, NumberStyles.None, CultureInfo.InvariantCulture, out column))
                throw new JobArgumentException("--column", $"with --no-header the column is a 0-based index; '{columnText}' is not one");
            columnLabel = column.ToString(CultureInfo.InvariantCulture);
        }

        return new CsvStatsJob(Path.GetFullPath(file), column, columnLabel, delimiter, headerOffset, chunkBytes);
    }

    private static byte ParseDelimiter(string text)
    {
        if (text is "\\t" or "tab")
            return (byte)'\t';
        if (text.Length != 1 || text[0] > 0x7F)
            throw new JobArgumentException("--delimiter", $"'{text}' must be one ASCII character (or \\t / tab)");
        if (text[0] is '"' or '\r' or '\n')
            throw new JobArgumentException("--delimiter", "cannot be a quote or a line break");
        return (byte)text[0];
    }

    // The header is the first line that is not blank (blank lines before it are skipped, as Python's csv does); its
    // names and its offset, so that the task whose range holds it skips it.
    private static (List<string> Names, long Offset) ReadHeader(string file, byte delimiter)
    {
        // Checked before opening: a FIFO reports size 0, and opening one would wait for a writer.
        if (new FileInfo(file).Length == 0)
            throw new JobArgumentException("FILE", $"'{file}' is empty; expected a header line (or pass --no-header)");
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var reader = new ByteLineReader(stream, 0, MaxLineBytes);
        long number = 0;
        while (true)
        {
            var offset = reader.NextLineStart;
            if (!reader.TryReadLine(out var line, out var tooLong))
                throw new JobArgumentException("FILE", $"'{file}' has no header line, only blank ones (or pass --no-header)");
            number++;
            if (tooLong)
                throw new JobArgumentException("FILE", $"{file}:{number}: the header line is longer than {MaxLineBytes} bytes");
            line = CsvStatsJob.TrimLine(line, offset);
            if (line.IsEmpty) continue;
            if (CsvRecords.EndsInsideQuotes(line, delimiter, startsInside: false))
                throw new JobArgumentException("FILE", $"{file}:{number}: the header line has a quoted field that does not close on its line");

            var names = new List<string>();
            var fields = new CsvFieldReader(line, delimiter, new ArrayBufferWriter<byte>());
            while (fields.TryNext(out var field, out var error) || error != CsvFieldError.None)
            {
                if (error != CsvFieldError.None)
                    throw new JobArgumentException("FILE", $"{file}:{number}: the header line has {CsvStatsJob.Describe(error, fields.FieldIndex + 1)}");
                names.Add(Encoding.UTF8.GetString(field));
            }
            return (names, offset);
        }
    }
}

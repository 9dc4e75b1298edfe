using System.Globalization;
using System.Text;

namespace ActorTasks.Tasks.Tests.JobKinds;

/// <summary>csv-stats computed the straightforward way: the whole file in memory, one pass for values, two-pass mean and variance.</summary>
/// <remarks>
/// Records are found as Python's csv module finds them: a record ends at a '\n' outside a quoted field, a field is
/// quoted when it starts with '"', and inside one '""' is a quote and a line break is text. Unlike Python, a row
/// whose quoting is broken (text after a closing quote, a quote left open) is malformed, as csv-stats documents.
/// The header is the first record that is not blank; a problem is reported at the line where its record starts.
/// </remarks>
internal sealed record CsvStatsReference(
    long Count, double Mean, double Std, double Min, double Max, double Q1, double Median, double Q3, long Malformed, IReadOnlyList<long> BadLines,
    IReadOnlyList<long> RecordStarts)
{
    private readonly record struct Record(long Offset, long Line, string Text);

    public static CsvStatsReference Compute(string path, int column, char delimiter, bool header)
    {
        var bytes = File.ReadAllBytes(path);
        var records = Records(bytes, (byte)delimiter);
        var values = new List<double>();
        var bad = new List<long>();
        var headerSeen = !header;
        foreach (var record in records)
        {
            var text = record.Text.EndsWith('\r') ? record.Text[..^1] : record.Text;
            if (record.Offset == 0 && text.StartsWith('\uFEFF'))
                text = text[1..];
            if (text.Length == 0)
                continue;
            if (!headerSeen)
            {
                headerSeen = true;
                continue;
            }
            var fields = Fields(text, delimiter);
            if (fields is null || fields.Count <= column
                || !double.TryParse(fields[column].Trim(' ', '\t'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || !double.IsFinite(value))
            {
                bad.Add(record.Line);
                continue;
            }
            values.Add(value);
        }

        var sorted = values.Order().ToList();
        var n = values.Count;
        var mean = n == 0 ? double.NaN : values.Sum() / n;
        var std = n < 2 ? double.NaN : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        return new CsvStatsReference(n, mean, std, n == 0 ? double.NaN : sorted[0], n == 0 ? double.NaN : sorted[^1],
            Quantile(sorted, 0.25), Quantile(sorted, 0.5), Quantile(sorted, 0.75), bad.Count, bad, [.. records.Select(r => r.Offset)]);
    }

    /// <summary>
    /// How many tasks csv-stats makes of the file for <paramref name="chunk"/>: from each range's start, the range runs
    /// to the first record that starts at least <paramref name="chunk"/> bytes later (or to the end of the file).
    /// </summary>
    public long Tasks(long fileLength, long chunk)
    {
        long tasks = 0;
        for (long start = 0; start < fileLength; tasks++)
        {
            var next = RecordStarts.FirstOrDefault(s => s >= start + chunk, -1);
            start = next < 0 ? fileLength : next;
        }
        return tasks;
    }

    /// <summary>Python's csv reader state machine (without its lone '\r' line ends): each record's offset, first line and text without its '\n'.</summary>
    private static List<Record> Records(byte[] bytes, byte delimiter)
    {
        var records = new List<Record>();
        var state = State.StartRecord;
        long line = 1, startLine = 1;
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (state == State.StartRecord)
            {
                start = i;
                startLine = line;
                state = State.StartField;
            }
            if (b == (byte)'\n')
                line++;
            state = (state, b) switch
            {
                (State.InQuoted, (byte)'"') => State.QuoteInQuoted,
                (State.InQuoted, _) => State.InQuoted,
                (State.QuoteInQuoted, (byte)'"') => State.InQuoted,
                (State.StartField, (byte)'"') => State.InQuoted,
                (_, (byte)'\n') => State.StartRecord,
                (_, _) when b == delimiter => State.StartField,
                _ => State.InField,
            };
            if (state == State.StartRecord)
                records.Add(new Record(start, startLine, Encoding.UTF8.GetString(bytes, start, i - start)));
        }
        if (state != State.StartRecord)
            records.Add(new Record(start, startLine, Encoding.UTF8.GetString(bytes, start, bytes.Length - start)));
        return records;
    }

    private enum State
    {
        StartRecord,
        StartField,
        InField,
        InQuoted,
        QuoteInQuoted,
    }

    /// <summary>numpy's "linear" quantile: position (n − 1)·p, interpolated between its two neighbours.</summary>
    public static double Quantile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
            return double.NaN;
        var position = (sorted.Count - 1) * p;
        var below = (int)position;
        if (below == position)
            return sorted[below];
        return sorted[below] + (sorted[below + 1] - sorted[below]) * (position - below);
    }

    /// <summary>Splits a record into fields with RFC 4180 quotes (a quoted field may hold line breaks); null when the quoting is broken.</summary>
    private static List<string>? Fields(string line, char delimiter)
    {
        var fields = new List<string>();
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                var field = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= line.Length)
                        return null;
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                if (i < line.Length && line[i] != delimiter)
                    return null;
                fields.Add(field.ToString());
            }
            else
            {
                var next = line.IndexOf(delimiter, i);
                var end = next < 0 ? line.Length : next;
                fields.Add(line[i..end]);
                i = end;
            }
            if (i >= line.Length)
                return fields;
            i++;
        }
    }
}

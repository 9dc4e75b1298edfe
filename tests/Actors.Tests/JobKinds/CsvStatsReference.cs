using System.Globalization;
using System.Text;

namespace ActorTasks.Tasks.Tests.JobKinds;

/// <summary>csv-stats computed the straightforward way: the whole file in memory, one pass for values, two-pass mean and variance.</summary>
internal sealed record CsvStatsReference(long Count, double Mean, double Std, double Min, double Max, double Q1, double Median, double Q3, long Malformed, IReadOnlyList<long> BadLines)
{
    public static CsvStatsReference Compute(string path, int column, char delimiter, bool header)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var lines = text.Split('\n');
        var values = new List<double>();
        var bad = new List<long>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            if ((header && i == 0) || line.Length == 0)
                continue;
            var fields = Fields(line, delimiter);
            if (fields is null || fields.Count <= column
                || !double.TryParse(fields[column].Trim(' ', '\t'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || !double.IsFinite(value))
            {
                bad.Add(i + 1);
                continue;
            }
            values.Add(value);
        }

        var sorted = values.Order().ToList();
        var n = values.Count;
        var mean = n == 0 ? double.NaN : values.Sum() / n;
        var std = n < 2 ? double.NaN : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        return new CsvStatsReference(n, mean, std, n == 0 ? double.NaN : sorted[0], n == 0 ? double.NaN : sorted[^1],
            Quantile(sorted, 0.25), Quantile(sorted, 0.5), Quantile(sorted, 0.75), bad.Count, bad);
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

    /// <summary>Splits a line into fields with RFC 4180 quotes; null when the quoting is broken.</summary>
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

using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorTasks.Node.Demo;

/// <summary>A numeric column's statistics as csv-stats reports them (sample std; quartiles by linear interpolation).</summary>
public sealed record ColumnStats(long Count, double Mean, double Std, double Min, double Q1, double Median, double Q3, double Max, long Malformed);

/// <summary>
/// Straightforward single-threaded computations of what the demo's jobs compute on the cluster, written
/// independently of the job kinds, so that a match means something: a plain sieve, a line-by-line grep and a
/// line-by-line CSV reader.
/// </summary>
public static class SingleThreaded
{
    /// <summary>The number of primes in [<paramref name="from"/>, <paramref name="to"/>), by a sieve of Eratosthenes over the odd numbers below <paramref name="to"/>.</summary>
    public static long CountPrimes(long from, long to)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, 4_000_000_000L);
        if (to <= 2 || from >= to) return 0;
        // composite[i] says whether 2i + 1 is composite.
        var composite = new bool[(to + 1) / 2];
        for (long p = 3; p * p < to; p += 2)
        {
            if (composite[p / 2]) continue;
            for (var multiple = p * p; multiple < to; multiple += 2 * p) composite[multiple / 2] = true;
        }
        long count = from <= 2 ? 1 : 0;
        for (var n = Math.Max(3, from | 1); n < to; n += 2)
            if (!composite[n / 2]) count++;
        return count;
    }

    /// <summary>Every line under <paramref name="root"/> that <paramref name="regex"/> matches, as <c>path:line:text</c>, path as the root joined with the relative path.</summary>
    public static List<string> Grep(string root, Regex regex)
    {
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (regex.IsMatch(line)) found.Add(string.Create(CultureInfo.InvariantCulture, $"{file}:{number}:{line}"));
            }
        }
        return found;
    }

    /// <summary>
    /// Reads a comma-separated file with a header line (plain fields, no quoting) and computes the statistics of
    /// column <paramref name="column"/>; a row whose field is missing or not a finite number counts as malformed.
    /// </summary>
    public static ColumnStats CsvColumn(string path, string column, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty");
        var index = Array.IndexOf(header.Split(','), column);
        if (index < 0) throw new ArgumentException($"{path} has no column '{column}'", nameof(column));
        var values = new List<double>();
        long malformed = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            if ((values.Count & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            var fields = line.Split(',');
            if (fields.Length > index
                && double.TryParse(fields[index].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && double.IsFinite(value))
            {
                values.Add(value);
            }
            else
            {
                malformed++;
            }
        }
        return Summarise(values, malformed);
    }

    private static ColumnStats Summarise(List<double> values, long malformed)
    {
        var n = values.Count;
        if (n == 0) return new ColumnStats(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, malformed);
        // Two passes with compensated sums: the mean, then the squared deviations from it.
        var mean = Sum(values, v => v) / n;
        var std = n > 1 ? Math.Sqrt(Sum(values, v => (v - mean) * (v - mean)) / (n - 1)) : double.NaN;
        values.Sort();
        return new ColumnStats(n, mean, std, values[0], Quantile(values, 0.25), Quantile(values, 0.5), Quantile(values, 0.75), values[^1], malformed);
    }

    // Neumaier's compensated sum: the rounding error of each addition is carried along and added back at the end.
    private static double Sum(List<double> values, Func<double, double> term)
    {
        double sum = 0, compensation = 0;
        foreach (var value in values)
        {
            var v = term(value);
            var t = sum + v;
            compensation += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }
        return sum + compensation;
    }

    // Linear interpolation between the closest ranks at h = (n - 1) p.
    private static double Quantile(List<double> sorted, double p)
    {
        var h = (sorted.Count - 1) * p;
        var low = (int)Math.Floor(h);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (h - low);
    }
}

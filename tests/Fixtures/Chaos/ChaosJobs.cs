using System.Globalization;
using System.Text.RegularExpressions;
using ActorTasks.Messages;
using ActorTasks.Node.Demo;
using ActorTasks.Node.Tests.Support;

namespace ActorTasks.Tests.Fixtures.Chaos;

/// <summary>
/// The chaos run's jobs and their known answers: primes ranges, csv-stats and grep over data generated here, noop sums
/// and hash digests. Each answer is computed in this process without the job kinds' code (a plain sieve, a
/// line-by-line reader, <see cref="HashDigest"/>), from the job's kind and arguments alone, so a job the seed lists
/// that nobody here submitted (a vanished client's) is checked as well.
/// </summary>
internal sealed class ChaosJobs
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private const int HashRounds = 2_000;
    private readonly DemoData.LogTree _tree;
    private readonly DemoData.CsvFile _csv;
    private readonly Lazy<List<string>> _grep;
    private readonly Lazy<ColumnStats> _stats;

    private ChaosJobs(DemoData.LogTree tree, DemoData.CsvFile csv)
    {
        _tree = tree;
        _csv = csv;
        _grep = new(() => SingleThreaded.Grep(tree.Root, new Regex(DemoData.GrepPattern, RegexOptions.CultureInvariant)).Order(StringComparer.Ordinal).ToList());
        _stats = new(() => SingleThreaded.CsvColumn(csv.Path, DemoData.CsvColumn));
    }

    /// <summary>Writes the jobs' input data (a tree of logs, a CSV) into <paramref name="folder"/>.</summary>
    public static ChaosJobs Create(string folder, int seed) => new(
        DemoData.WriteLogTree(Path.Combine(folder, "logs"), services: 6, days: 10, seed: seed),
        DemoData.WriteCsv(Path.Combine(folder, "requests.csv"), 200_000, seed, malformedEvery: 997));

    /// <summary>The next job of the stream; <paramref name="random"/> decides which and how big.</summary>
    public (string Kind, string[] Arguments) Next(Random random)
    {
        switch (random.Next(5))
        {
            case 0:
                var from = random.Next(0, 4_000_000);
                return ("primes", [S(from), S(from + random.Next(2_000_000, 8_000_000)), "--chunk", "100000"]);
            case 1:
                return ("csv-stats", [_csv.Path, "--column", DemoData.CsvColumn]);
            case 2:
                return ("grep", [DemoData.GrepPattern, _tree.Root, "--glob", "*.log"]);
            case 3:
                return ("noop", [S(random.Next(100_000, 1_000_000))]);
            default:
                return ("hash", [S(random.Next(100, 400)), "--rounds", S(HashRounds)]);
        }
    }

    /// <summary>Null when <paramref name="finished"/> (with every result line in <paramref name="lines"/>) is the known answer of the job; otherwise what differs.</summary>
    public string? Check(string kind, IReadOnlyList<string> arguments, JobFinished finished, IReadOnlyList<string> lines)
    {
        if (finished.State != JobState.Completed || finished.Failed > 0 || finished.Done != finished.Total)
            return $"ended {finished.State} with {finished.Done} done of {finished.Total}, {finished.Failed} failed: {finished.Reason}";
        var summary = finished.Summary.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        string Get(string key) => summary.TryGetValue(key, out var v) ? v : "(missing)";
        switch (kind)
        {
            case "primes":
                var expected = SingleThreaded.CountPrimes(long.Parse(arguments[0], Inv), long.Parse(arguments[1], Inv));
                return Get("count") == S(expected) ? null : $"count {Get("count")}, expected {expected}";
            case "noop":
                var n = (UInt128)ulong.Parse(arguments[0], Inv);
                var sum = (n * (n - 1) / 2).ToString(Inv);
                return Get("sum") == sum && Get("tasks") == arguments[0] ? null : $"{Get("tasks")} tasks, sum {Get("sum")}; expected {arguments[0]} tasks, sum {sum}";
            case "hash":
                var digest = HashDigest.SingleThreaded(int.Parse(arguments[0], Inv), int.Parse(arguments[2], Inv));
                return Get("digest") == digest ? null : $"digest {Get("digest")}, expected {digest}";
            case "grep":
                var want = _grep.Value;
                var got = lines.Order(StringComparer.Ordinal).ToList();
                return got.SequenceEqual(want) ? null : $"{got.Count} lines, expected {want.Count} ({got.Except(want).Count()} not expected, {want.Except(got).Count()} missing)";
            case "csv-stats":
                return CheckStats(Get);
            default:
                return $"no known answer for a {kind} job";
        }
    }

    // As the demo checks it: counts, min, max and quartiles exactly, mean and std within 1e-12 relative.
    private string? CheckStats(Func<string, string> get)
    {
        var s = _stats.Value;
        var rows = new (string Key, double Want, bool Exact)[]
        {
            ("count", s.Count, true), ("mean", s.Mean, false), ("std", s.Std, false), ("min", s.Min, true), ("q1", s.Q1, true),
            ("median", s.Median, true), ("q3", s.Q3, true), ("max", s.Max, true), ("malformed rows", s.Malformed, true),
        };
        var wrong = rows.Where(r => !double.TryParse(get(r.Key), NumberStyles.Float, Inv, out var got)
            || (r.Exact ? got != r.Want : Math.Abs(got - r.Want) > 1e-12 * Math.Abs(r.Want))).ToList();
        return wrong.Count == 0 ? null : string.Join(", ", wrong.Select(r => $"{r.Key} {get(r.Key)}, expected {r.Want.ToString("R", Inv)}"));
    }

    private static string S(long n) => n.ToString(Inv);
}

using System.Diagnostics;
using System.Globalization;
using ActorTasks.Bench.Tasks;
using ActorTasks.Node.Demo;

namespace ActorTasks.Bench;

/// <summary>
/// csv-stats over a generated 1 GB CSV on a seed and two worker processes: MB/s from submit to result. Baseline in the
/// same run: a straightforward single-threaded reader computing the same statistics (and checking the job's answer).
/// </summary>
public sealed class CsvStatsBench : IBenchmark
{
    private const long Size = 1_000_000_000;

    public string Name => "csv-stats";

    public string Description => "csv-stats over a generated 1 GB CSV on a seed + 2 worker processes vs a single-threaded reader (MB/s)";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var file = await EnsureCsvAsync();
        var bytes = new FileInfo(file).Length;
        var megabytes = bytes / 1e6;
        var cluster = new List<double>();
        var single = new List<double>();
        try
        {
            await using var nodes = await TaskCluster.StartAsync(workers: 2);
            Console.WriteLine($"load average {LoadAverage.Read()}");
            await WarmUpAsync(nodes);
            string[] job = [file, "--column", DemoData.CsvColumn];
            for (var run = 0; run < options.Runs; run++)
            {
                var (finished, elapsed) = await nodes.RunAsync("csv-stats", job, TimeSpan.FromMinutes(10));
                var clock = Stopwatch.StartNew();
                var expected = SingleThreaded.CsvColumn(file, DemoData.CsvColumn);
                var reference = clock.Elapsed;
                Check(finished.Summary, expected);
                cluster.Add(megabytes / elapsed.TotalSeconds);
                single.Add(megabytes / reference.TotalSeconds);
                Console.WriteLine($"run {run + 1}: cluster {elapsed.TotalSeconds:0.00} s = {cluster[^1]:0} MB/s ({finished.Done} tasks); " +
                    $"single-threaded {reference.TotalSeconds:0.00} s = {single[^1]:0} MB/s; same statistics");
            }
        }
        finally
        {
            if (!options.Keep) File.Delete(file);
        }
        var value = Measure.Median(cluster);
        var baseline = Measure.Median(single);
        Console.WriteLine($"median: cluster {value:0} MB/s, single-threaded {baseline:0} MB/s; load average {LoadAverage.Read()}" +
            (options.Keep ? $"; kept {file}" : "; the CSV was deleted (--keep keeps it)"));
        return new BenchResult(Name, value, "MB/s", baseline, Extra: new Dictionary<string, object>
        {
            ["baseline_kind"] = "single-threaded StreamReader + Split + double.Parse, same statistics",
            ["file_mb"] = Math.Round(megabytes),
            ["workers"] = 2,
            ["runs_cluster_mb_s"] = cluster.Select(v => Math.Round(v)).ToArray(),
            ["runs_single_mb_s"] = single.Select(v => Math.Round(v)).ToArray(),
            ["runs"] = options.Runs,
            ["load_average"] = LoadAverage.Read(),
        });
    }

    // The first csv-stats job on fresh nodes also pays for JIT compilation of the parsing code on every worker.
    private static async Task WarmUpAsync(TaskCluster nodes)
    {
        var small = Path.Combine(Path.GetTempPath(), $"actortasks-bench-warmup-{Environment.ProcessId}.csv");
        try
        {
            DemoData.WriteCsv(small, rows: 1_000_000, seed: 1);
            await nodes.RunAsync("csv-stats", [small, "--column", DemoData.CsvColumn], TimeSpan.FromMinutes(5));
        }
        finally
        {
            File.Delete(small);
        }
    }

    // Generated once into the temp folder and reused while it is there (written under another name, then moved).
    private static async Task<string> EnsureCsvAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "actortasks-bench");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "requests-1GB.csv");
        if (File.Exists(file) && new FileInfo(file).Length >= Size)
        {
            Console.WriteLine($"reusing {file}");
            return file;
        }
        Console.WriteLine($"generating {file} (1 GB, once)...");
        var clock = Stopwatch.StartNew();
        var csv = await Task.Run(() => DemoData.WriteCsvOfSize(file, Size, seed: 2024));
        Console.WriteLine($"  {csv.Rows:N0} rows, {csv.Bytes / 1e6:0} MB in {clock.Elapsed.TotalSeconds:0.0} s");
        return file;
    }

    private static void Check(IReadOnlyList<KeyValuePair<string, string>> summary, ColumnStats expected)
    {
        double Get(string key) => double.Parse(summary.First(kv => kv.Key == key).Value, CultureInfo.InvariantCulture);
        var exact = new (string Key, double Want)[]
        {
            ("count", expected.Count), ("min", expected.Min), ("q1", expected.Q1), ("median", expected.Median), ("q3", expected.Q3), ("max", expected.Max),
        };
        foreach (var (key, want) in exact)
            if (Get(key) != want) throw new InvalidOperationException($"csv-stats {key} is {Get(key)}, the single-threaded reader says {want}");
        foreach (var (key, want) in new[] { ("mean", expected.Mean), ("std", expected.Std) })
            if (Math.Abs(Get(key) - want) > 1e-12 * Math.Abs(want))
                throw new InvalidOperationException($"csv-stats {key} is {Get(key)}, the single-threaded reader says {want}");
    }
}

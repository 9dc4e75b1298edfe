using System.Globalization;
using ActorTasks.Bench.Tasks;

namespace ActorTasks.Bench;

/// <summary>
/// A job of 200,000 trivial tasks (<c>noop 200000</c>) on a seed and two worker processes on this machine: tasks per
/// second from submit to result. Baseline in the same run: Python's multiprocessing.Pool(2).map(f, range(n), chunksize=1).
/// The target is ten times that baseline.
/// </summary>
public sealed class TaskThroughputBench : IBenchmark
{
    private const double TargetRatio = 10;
    /// <summary>The job's size: <c>noop 200000</c>.</summary>
    internal const long Tasks = 200_000;

    public string Name => "task-throughput";

    public string Description => "noop 200000 on a seed + 2 worker processes (tasks/s, submit to result) vs Python multiprocessing.Pool(2).map, chunksize=1";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var rates = new List<double>();
        var baselineRates = new List<double>();
        var warmUps = new List<double>();
        var python = PythonPool.Version();
        if (python is null) Console.WriteLine("python3 not found: no baseline");
        await using (var cluster = await TaskCluster.StartAsync(workers: 2))
        {
            Console.WriteLine($"load average {LoadAverage.Read()}");
            warmUps.AddRange(await WarmUpAsync(cluster, options.Quick));
            // Each run times the cluster, then Python, so that both see the same moment of a shared machine.
            for (var run = 0; run < options.Runs; run++)
            {
                rates.Add(await RunOnceAsync(cluster));
                var line = $"run {run + 1}: {Tasks:N0} tasks = {rates[^1]:N0} tasks/s (each counted once)";
                if (python is not null)
                {
                    baselineRates.Add((await PythonPool.RunAsync(Tasks, 1))[0]);
                    line += $"; {python} multiprocessing.Pool(2).map, chunksize=1: {baselineRates[^1]:N0} tasks/s; ratio {rates[^1] / baselineRates[^1]:0.0}";
                }
                Console.WriteLine(line);
            }
        }
        var value = Measure.Median(rates);
        double? baseline = baselineRates.Count > 0 ? Measure.Median(baselineRates) : null;
        var runRatios = rates.Zip(baselineRates, (r, b) => r / b).ToArray();
        var ratio = baseline is { } bl && bl > 0 ? value / bl : (double?)null;
        Console.WriteLine($"median: {value:N0} tasks/s, baseline {(baseline is { } b ? $"{b:N0} tasks/s" : "none")}, ratio {(ratio is { } r ? $"{r:0.0}" : "n/a")} " +
            $"(target >= {TargetRatio}x the baseline); load average {LoadAverage.Read()}");
        return new BenchResult(Name, value, "tasks/s", baseline, Extra: new Dictionary<string, object>
        {
            ["baseline_kind"] = python is null ? "none: python3 not found" : $"{python} multiprocessing.Pool(2).map(f, range(n), chunksize=1)",
            ["tasks"] = Tasks,
            ["workers"] = 2,
            ["runs_tasks_per_s"] = rates.Select(r => Math.Round(r)).ToArray(),
            ["runs_baseline_tasks_per_s"] = baselineRates.Select(r => Math.Round(r)).ToArray(),
            ["runs_ratio"] = runRatios.Select(r => Math.Round(r, 2)).ToArray(),
            ["warm_up_tasks_per_s"] = warmUps.Select(r => Math.Round(r)).ToArray(),
            ["target_ratio"] = TargetRatio,
            ["meets_target"] = ratio >= TargetRatio,
            ["runs"] = options.Runs,
            ["load_average"] = LoadAverage.Read(),
        });
    }

    /// <summary>
    /// Warms a fresh cluster up: connections, consumers registered, and the hot paths of every node through tiered (PGO)
    /// JIT compilation to their final code, which takes a few full-size jobs; a single small job left the first measured
    /// runs at a third of the later ones. Returns the rates of the full-size jobs.
    /// </summary>
    internal static async Task<double[]> WarmUpAsync(TaskCluster cluster, bool quick)
    {
        await cluster.RunAsync("noop", ["50000"], TimeSpan.FromMinutes(2));
        var rates = new double[quick ? 1 : 3];
        for (var i = 0; i < rates.Length; i++) rates[i] = await RunOnceAsync(cluster);
        Console.WriteLine($"warm-up: {string.Join(", ", rates.Select(r => $"{r:N0}"))} tasks/s");
        return rates;
    }

    /// <summary>Runs <c>noop 200000</c> to its end and returns tasks per second from submit to result; throws unless each task counted once.</summary>
    internal static async Task<double> RunOnceAsync(TaskCluster cluster)
    {
        var (finished, elapsed) = await cluster.RunAsync("noop", [Tasks.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(5));
        var exact = finished.Summary.First(kv => kv.Key == "exact").Value;
        if (exact != "yes") throw new InvalidOperationException($"noop {Tasks} did not count every task exactly once: {string.Join(", ", finished.Summary)}");
        return Tasks / elapsed.TotalSeconds;
    }
}

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

    public string Name => "task-throughput";

    public string Description => "noop 200000 on a seed + 2 worker processes (tasks/s, submit to result) vs Python multiprocessing.Pool(2).map, chunksize=1";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        const long tasks = 200_000;
        var rates = new List<double>();
        await using (var cluster = await TaskCluster.StartAsync(workers: 2))
        {
            Console.WriteLine($"load average {LoadAverage.Read()}");
            // Warm-up: connections, consumers registered, JIT of the hot paths on every node.
            await cluster.RunAsync("noop", ["50000"], TimeSpan.FromMinutes(2));
            for (var run = 0; run < options.Runs; run++)
            {
                var (finished, elapsed) = await cluster.RunAsync("noop", [tasks.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(5));
                var exact = finished.Summary.First(kv => kv.Key == "exact").Value;
                if (exact != "yes") throw new InvalidOperationException($"noop {tasks} did not count every task exactly once: {string.Join(", ", finished.Summary)}");
                rates.Add(tasks / elapsed.TotalSeconds);
                Console.WriteLine($"run {run + 1}: {tasks:N0} tasks in {elapsed.TotalSeconds:0.000} s = {rates[^1]:N0} tasks/s (each counted once: {exact})");
            }
        }
        var value = Measure.Median(rates);

        double? baseline = null;
        var python = PythonPool.Version();
        if (python is null)
        {
            Console.WriteLine("python3 not found: no baseline");
        }
        else
        {
            var baselineRates = await PythonPool.RunAsync(tasks, options.Runs);
            for (var run = 0; run < baselineRates.Count; run++)
                Console.WriteLine($"baseline run {run + 1}: {python} multiprocessing.Pool(2).map, chunksize=1: {baselineRates[run]:N0} tasks/s");
            baseline = Measure.Median(baselineRates);
        }
        var ratio = baseline is { } bl && bl > 0 ? value / bl : (double?)null;
        Console.WriteLine($"median: {value:N0} tasks/s, baseline {(baseline is { } b ? $"{b:N0} tasks/s" : "none")}, ratio {(ratio is { } r ? $"{r:0.0}" : "n/a")} " +
            $"(target >= {TargetRatio}x the baseline); load average {LoadAverage.Read()}");
        return new BenchResult(Name, value, "tasks/s", baseline, Extra: new Dictionary<string, object>
        {
            ["baseline_kind"] = python is null ? "none: python3 not found" : $"{python} multiprocessing.Pool(2).map(f, range(n), chunksize=1)",
            ["tasks"] = tasks,
            ["workers"] = 2,
            ["runs_tasks_per_s"] = rates.Select(r => Math.Round(r)).ToArray(),
            ["target_ratio"] = TargetRatio,
            ["meets_target"] = ratio >= TargetRatio,
            ["runs"] = options.Runs,
            ["load_average"] = LoadAverage.Read(),
        });
    }
}

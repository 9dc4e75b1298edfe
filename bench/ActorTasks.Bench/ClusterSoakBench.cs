using System.Diagnostics;
using System.Globalization;
using ActorTasks.Bench.Tasks;
using ActorTasks.Node.Hosting;

namespace ActorTasks.Bench;

/// <summary>
/// Whether the default failure detector raises false alarms under load: a seed and two worker processes with the
/// default settings run CPU-bound hash jobs back to back (every consumer busy) while spinning threads in this process
/// take whatever CPU is left, for 10 minutes (1 with --quick). Every "Marking node(s) as UNREACHABLE" warning Akka.Cluster
/// logs on any node is a false Unreachable, since no node is stopped. Baseline in the same run: how many hash tasks ran, to show
/// the machine was busy throughout.
/// </summary>
public sealed class ClusterSoakBench : IBenchmark
{
    private const string UnreachableWarning = "Marking node(s) as UNREACHABLE";

    public string Name => "cluster-soak";

    public string Description => "false Unreachable events with default settings over 10 minutes with the CPU saturated (seed + 2 worker processes)";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var duration = options.Quick ? TimeSpan.FromMinutes(1) : TimeSpan.FromMinutes(10);
        var alarms = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Observe(NodeProcess node, string line)
        {
            if (line.Contains(UnreachableWarning, StringComparison.Ordinal)) alarms.Enqueue($"[{node.Name}] {line}");
        }

        var rounds = HashRounds.For(TimeSpan.FromMilliseconds(5));
        await using var cluster = await TaskCluster.StartAsync(2, Observe);
        Console.WriteLine($"hash tasks of {rounds:N0} SHA-256 rounds (about 5 ms each); running for {duration.TotalMinutes:0} min; load average {LoadAverage.Read()}");

        using var stop = new CancellationTokenSource();
        var spinners = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => StartSpinner(stop.Token)).ToList();
        var clock = Stopwatch.StartNew();
        long tasks = 0;
        var jobs = 0;
        var loads = new List<string>();
        var nextReport = TimeSpan.FromSeconds(30);
        try
        {
            while (clock.Elapsed < duration)
            {
                var (finished, _) = await cluster.RunAsync("hash", ["2000", "--rounds", rounds.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(5));
                tasks += finished.Done;
                jobs++;
                if (clock.Elapsed >= nextReport)
                {
                    nextReport += TimeSpan.FromSeconds(30);
                    loads.Add(LoadAverage.Read());
                    Console.WriteLine($"  {clock.Elapsed.TotalSeconds,5:0} s: {jobs} jobs, {tasks:N0} tasks, {alarms.Count} false unreachable; load average {loads[^1]}");
                }
            }
        }
        finally
        {
            stop.Cancel();
            foreach (var spinner in spinners) spinner.Join();
        }

        foreach (var alarm in alarms) Console.WriteLine($"  false alarm: {alarm}");
        var minutes = clock.Elapsed.TotalMinutes;
        Console.WriteLine($"{alarms.Count} false unreachable in {minutes:0.0} min with {jobs} jobs ({tasks:N0} tasks) and {spinners.Count} spinning threads");
        return new BenchResult(Name, alarms.Count, "false unreachable", tasks / clock.Elapsed.TotalSeconds, HigherIsBetter: false,
            Extra: new Dictionary<string, object>
            {
                ["baseline_kind"] = "hash tasks/s the cluster ran meanwhile (the load it was under)",
                ["minutes"] = Math.Round(minutes, 2),
                ["jobs"] = jobs,
                ["tasks"] = tasks,
                ["spinning_threads"] = spinners.Count,
                ["settings"] = "defaults (akka.cluster.failure-detector.* and split-brain-resolver.* from hocon/actortasks.conf)",
                ["load_averages"] = loads.ToArray(),
                ["meets_target"] = alarms.IsEmpty,
            });
    }

    // A thread that burns CPU until told to stop: the machine's cores stay busy even between jobs.
    private static Thread StartSpinner(CancellationToken stop)
    {
        var thread = new Thread(() =>
        {
            var x = 1UL;
            while (!stop.IsCancellationRequested)
                for (var i = 0; i < 100_000; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
            GC.KeepAlive(x);
        }) { IsBackground = true, Name = "cpu-spinner" };
        thread.Start();
        return thread;
    }
}

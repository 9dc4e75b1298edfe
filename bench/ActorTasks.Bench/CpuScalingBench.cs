using ActorTasks.Bench.Tasks;

namespace ActorTasks.Bench;

/// <summary>
/// <c>primes 0 50000000</c> on one worker process, then on two (each running one consumer, so one core each): the
/// speed-up from the second process. The value is the two-worker rate, the baseline the one-worker rate. The same is
/// measured for a job ten times longer, which shows how much of the short job's time is per-job overhead. The target
/// is set against what the shared machine allows in the same run: at least 0.95 of the speed-up two threads of a CPU
/// kernel get in one process.
/// </summary>
public sealed class CpuScalingBench : IBenchmark
{
    private const double TargetOfCeiling = 0.95;
    private const long To = 50_000_000, LongTo = 500_000_000;

    public string Name => "cpu-scaling";

    public string Description => "primes 0 50000000 on one vs two worker processes, one consumer each (speed-up)";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        // Each job is short, so each measurement is the median of several jobs.
        var repeats = options.Quick ? 3 : 7;
        string[] job = ["0", To.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        string[] longJob = ["0", LongTo.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        string[] oneConsumer = ["-D", "actortasks.tasks.consumers-per-node=1"];
        var oneWorker = new List<double>();
        var twoWorkers = new List<double>();
        var longOne = new List<double>();
        var longTwo = new List<double>();
        var ceiling = new List<double>();
        long? count = null;

        await using var cluster = await TaskCluster.StartAsync(1, oneConsumer);
        Console.WriteLine($"load average {LoadAverage.Read()}");
        await WarmUpAsync(cluster);
        await using (var second = await TaskCluster.StartAsync(2, oneConsumer))
        {
            await WarmUpAsync(second);
            // Alternate one and two workers within each run, so that a change in the machine's load hits both alike.
            for (var run = 0; run < options.Runs; run++)
            {
                var one = await TimeAsync(cluster, job, repeats, c => count ??= c);
                var two = await TimeAsync(second, job, repeats, c =>
                {
                    if (c != count) throw new InvalidOperationException($"two workers counted {c} primes, one worker {count}");
                });
                oneWorker.Add(one);
                twoWorkers.Add(two);
                Console.WriteLine($"run {run + 1}: one worker {one:0.000} s, two workers {two:0.000} s (medians of {repeats} jobs): speed-up {one / two:0.00}x");
                ceiling.Add(MachineTwoThreadSpeedup());
                Console.WriteLine($"  this machine right now: two threads of a CPU kernel in one process run {ceiling[^1]:0.00}x as fast as one");
                longOne.Add(await TimeAsync(cluster, longJob, 1, _ => { }));
                longTwo.Add(await TimeAsync(second, longJob, 1, _ => { }));
                Console.WriteLine($"  primes 0 {LongTo}: one worker {longOne[^1]:0.000} s, two workers {longTwo[^1]:0.000} s: speed-up {longOne[^1] / longTwo[^1]:0.00}x");
            }
        }
        var t1 = Measure.Median(oneWorker);
        var t2 = Measure.Median(twoWorkers);
        // One and two workers alternate within a run, so each run's pair saw the same machine: the speed-up is the
        // median of the runs' own speed-ups. The ratio of the two medians pairs times from different runs (different
        // moments of a shared machine); it is reported too.
        var runSpeedups = oneWorker.Zip(twoWorkers, (one, two) => one / two).ToArray();
        var speedup = Measure.Median(runSpeedups);
        var speedupOfMedians = t1 / t2;
        var longSpeedup = Measure.Median(longOne.Zip(longTwo, (one, two) => one / two));
        var machine = Measure.Median(ceiling);
        var ofCeiling = speedup / machine;
        Console.WriteLine($"median: one worker {t1:0.000} s, two workers {t2:0.000} s; speed-up {speedup:0.00}x, median of the runs' " +
            $"(ratio of the medians {speedupOfMedians:0.00}x); two threads in one process {machine:0.00}x meanwhile, so {ofCeiling:0.00} " +
            $"of the machine's ceiling (target >= {TargetOfCeiling}); {count:N0} primes; load average {LoadAverage.Read()}");
        return new BenchResult(Name, To / t1 * speedup, "numbers/s", To / t1, Extra: new Dictionary<string, object>
        {
            ["baseline_kind"] = "the same job on one worker process (one consumer)",
            ["speedup"] = Math.Round(speedup, 3),
            ["speedup_kind"] = "median of the runs' speed-ups (one and two workers alternate within each run)",
            ["runs_speedup"] = runSpeedups.Select(x => Math.Round(x, 3)).ToArray(),
            ["speedup_of_medians"] = Math.Round(speedupOfMedians, 3),
            ["seconds_one_worker"] = Math.Round(t1, 4),
            ["seconds_two_workers"] = Math.Round(t2, 4),
            ["long_job"] = $"primes 0 {LongTo}",
            ["long_job_speedup"] = Math.Round(longSpeedup, 3),
            ["long_job_seconds_one_two"] = new[] { Math.Round(Measure.Median(longOne), 3), Math.Round(Measure.Median(longTwo), 3) },
            ["machine_two_thread_speedup"] = Math.Round(machine, 3),
            ["runs_machine_two_thread_speedup"] = ceiling.Select(x => Math.Round(x, 3)).ToArray(),
            // The VM's cores are shared (steal time): what two threads gain right now bounds what two workers can.
            ["speedup_of_machine_ceiling"] = Math.Round(ofCeiling, 3),
            ["consumers_per_worker"] = 1,
            ["primes"] = count ?? 0,
            ["cores"] = Environment.ProcessorCount,
            ["target_speedup_of_machine_ceiling"] = TargetOfCeiling,
            ["meets_target"] = ofCeiling >= TargetOfCeiling,
            ["runs"] = options.Runs,
            ["jobs_per_measurement"] = repeats,
            ["load_average"] = LoadAverage.Read(),
        });
    }

    // What the shared machine allows at this moment: the same SHA-256 work on one thread, then split over two.
    private static double MachineTwoThreadSpeedup()
    {
        const int items = 200, rounds = 2_000;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < items; i++) ActorTasks.Tasks.JobKinds.Hash.HashJobKind.TaskDigest(i, rounds);
        var one = clock.Elapsed;
        clock.Restart();
        Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => ActorTasks.Tasks.JobKinds.Hash.HashJobKind.TaskDigest(i, rounds));
        return one / clock.Elapsed;
    }

    private static async Task WarmUpAsync(TaskCluster cluster)
    {
        for (var i = 0; i < 3; i++) await cluster.RunAsync("primes", ["0", "20000000"], TimeSpan.FromMinutes(2));
    }

    private static async Task<double> TimeAsync(TaskCluster cluster, string[] job, int repeats, Action<long> check)
    {
        var seconds = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var (finished, elapsed) = await cluster.RunAsync("primes", job, TimeSpan.FromMinutes(5));
            check(long.Parse(finished.Summary.First(kv => kv.Key == "count").Value, System.Globalization.CultureInfo.InvariantCulture));
            seconds.Add(elapsed.TotalSeconds);
        }
        return Measure.Median(seconds);
    }
}

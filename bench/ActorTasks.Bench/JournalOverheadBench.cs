using ActorTasks.Bench.Tasks;

namespace ActorTasks.Bench;

/// <summary>
/// The cost of the job journal on the task-throughput job: <c>noop 200000</c> on a seed and two worker processes, tasks
/// per second from submit to result, with the seed's SQLite journal (<c>actortasks.tasks.journal</c>, a fresh file per
/// run, deleted afterwards) against the same job without a journal. Each run starts both clusters fresh, one after the
/// other, in alternating order, and warms each up as task-throughput does. Target: at least 0.8 of the rate without.
/// </summary>
public sealed class JournalOverheadBench : IBenchmark
{
    private const double TargetRatio = 0.8;

    public string Name => "journal-overhead";

    public string Description => "noop 200000 on a seed + 2 worker processes (tasks/s, submit to result) with the seed's SQLite journal vs without";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var journaled = new List<double>();
        var plain = new List<double>();
        var jobsPerCluster = options.Quick ? 1 : 3;
        Console.WriteLine($"load average {LoadAverage.Read()}");
        for (var run = 0; run < options.Runs; run++)
        {
            // Alternate which side goes first, so that a machine getting busier or quieter does not favour one.
            var journalFirst = run % 2 == 0;
            for (var side = 0; side < 2; side++)
            {
                var withJournal = side == 0 == journalFirst;
                var rate = await RunClusterAsync(withJournal, jobsPerCluster, options.Quick);
                (withJournal ? journaled : plain).Add(rate);
                Console.WriteLine($"run {run + 1}: {(withJournal ? "journal on " : "journal off")}: {rate:N0} tasks/s (median of {jobsPerCluster} jobs); load average {LoadAverage.Read()}");
            }
            Console.WriteLine($"run {run + 1}: ratio {journaled[^1] / plain[^1]:0.00}");
        }
        var value = Measure.Median(journaled);
        var baseline = Measure.Median(plain);
        var ratio = value / baseline;
        Console.WriteLine($"median: journal on {value:N0} tasks/s, off {baseline:N0} tasks/s, ratio {ratio:0.00} (target >= {TargetRatio}); load average {LoadAverage.Read()}");
        return new BenchResult(Name, value, "tasks/s", baseline, Extra: new Dictionary<string, object>
        {
            ["baseline_kind"] = "the same job on a fresh seed + 2 workers without a journal (in memory), same run, alternating order",
            ["journal"] = "SQLite (Akka.Persistence.Sql), a fresh file per run in a temp folder",
            ["tasks"] = TaskThroughputBench.Tasks,
            ["workers"] = 2,
            ["jobs_per_cluster"] = jobsPerCluster,
            ["runs_journal_tasks_per_s"] = journaled.Select(r => Math.Round(r)).ToArray(),
            ["runs_no_journal_tasks_per_s"] = plain.Select(r => Math.Round(r)).ToArray(),
            ["runs_ratio"] = journaled.Zip(plain, (j, p) => Math.Round(j / p, 3)).ToArray(),
            ["target_ratio"] = TargetRatio,
            ["meets_target"] = ratio >= TargetRatio,
            ["runs"] = options.Runs,
            ["load_average"] = LoadAverage.Read(),
        });
    }

    // A fresh cluster, warmed up; the median rate of its measured jobs.
    private static async Task<double> RunClusterAsync(bool withJournal, int jobs, bool quick)
    {
        var folder = Directory.CreateTempSubdirectory("actortasks-journal-bench-").FullName;
        try
        {
            string[] seedArguments = withJournal ? ["-D", $"actortasks.tasks.journal=\"{Path.Combine(folder, "jobs.db")}\""] : [];
            await using var cluster = await TaskCluster.StartAsync(2, null, seedArguments, []);
            await TaskThroughputBench.WarmUpAsync(cluster, quick);
            var rates = new List<double>();
            for (var i = 0; i < jobs; i++) rates.Add(await TaskThroughputBench.RunOnceAsync(cluster));
            return Measure.Median(rates);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

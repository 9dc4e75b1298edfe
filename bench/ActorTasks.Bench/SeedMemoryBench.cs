using System.Globalization;
using ActorTasks.Bench.Tasks;
using ActorTasks.Messages;
using Akka.Actor;

namespace ActorTasks.Bench;

/// <summary>
/// What the seed keeps per task: a <c>noop 1000000000</c> job on a seed and two worker processes for a few minutes,
/// the seed's resident memory sampled as the tasks go by. Value: the seed's memory at the end; baseline: the same
/// seed once the job has run for a while (warm, every actor and buffer in place). A seed that keeps something per
/// task grows with the tasks done; the JSON line also gives the growth per million tasks and what it would come to
/// over the whole 10^9-task job.
/// </summary>
public sealed class SeedMemoryBench : IBenchmark
{
    private const long Tasks = 1_000_000_000;

    public string Name => "seed-memory";

    public string Description => "noop 1000000000 on a seed + 2 worker processes for a few minutes: the seed's resident memory as tasks go by";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var duration = TimeSpan.FromMinutes(options.Quick ? 1 : 4);
        var warm = TimeSpan.FromSeconds(options.Quick ? 15 : 45);
        var samples = new List<(double Seconds, long Done, long RssBytes)>();
        await using (var cluster = await TaskCluster.StartAsync(workers: 2))
        {
            var seedPid = cluster.Nodes.Seed.Process.Id;
            var job = cluster.Submit("noop", [Tasks.ToString(CultureInfo.InvariantCulture)]);
            var jobId = await job.Accepted.WaitAsync(TimeSpan.FromMinutes(1));
            while (job.Clock.Elapsed < duration)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                var status = await cluster.Client.JobManager.Ask<JobStatusReport>(new GetJobStatus(jobId), TimeSpan.FromSeconds(30));
                samples.Add((job.Clock.Elapsed.TotalSeconds, status.Done, ResidentBytes(seedPid)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {samples[^1].Seconds,6:0} s: {status.Done,14:N0} tasks done, seed RSS {samples[^1].RssBytes / 1048576.0,7:0.0} MB"));
            }
            await cluster.Client.JobManager.Ask<object>(new CancelJob(jobId), TimeSpan.FromSeconds(30));
        }
        var baseline = samples.First(s => s.Seconds >= warm.TotalSeconds);
        var end = samples[^1];
        var tasks = Math.Max(1, end.Done - baseline.Done);
        var growthPerMillion = (end.RssBytes - baseline.RssBytes) / (tasks / 1e6);
        var rate = tasks / (end.Seconds - baseline.Seconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed RSS {baseline.RssBytes / 1048576.0:0.0} MB after {baseline.Seconds:0} s ({baseline.Done:N0} tasks), {end.RssBytes / 1048576.0:0.0} MB after " +
            $"{end.Seconds:0} s ({end.Done:N0} tasks): {growthPerMillion / 1024.0:0.0} KB per million tasks at {rate:N0} tasks/s; " +
            $"over 10^9 tasks: {growthPerMillion * 1000 / 1048576.0:0} MB"));
        return new BenchResult(Name, end.RssBytes / 1048576.0, "MB seed RSS", baseline.RssBytes / 1048576.0, HigherIsBetter: false,
            Extra: new Dictionary<string, object>
            {
                ["tasks_done"] = end.Done,
                ["tasks_per_s"] = Math.Round(rate),
                ["growth_kb_per_million_tasks"] = Math.Round(growthPerMillion / 1024.0, 1),
                ["projected_growth_mb_for_1e9_tasks"] = Math.Round(growthPerMillion * 1000 / 1048576.0),
                ["samples"] = samples.Select(s => new[] { Math.Round(s.Seconds), s.Done, s.RssBytes / 1048576 }).ToArray(),
                ["baseline_kind"] = $"the same seed after {warm.TotalSeconds:0} s of the job",
                ["load_average"] = LoadAverage.Read(),
            });
    }

    private static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }
}

using System.Globalization;
using ActorTasks.Tests.Fixtures.Chaos;

namespace ActorTasks.Bench;

/// <summary>
/// A seed (SQLite journal) and three worker processes running a stream of jobs with known answers while one random
/// fault, drawn from <c>new Random(--seed)</c>, hits the cluster every few seconds (tests/Fixtures/Chaos). Value: jobs
/// completed with their known answer per minute; baseline in the same run: the same job stream on a fresh cluster
/// without faults for a third of the time (at least a minute), first. With <c>--faults none</c> it is the soak: no
/// baseline, and the value is the largest drift of a node's RSS or thread count after minute 5 from its minute-5
/// value. Either way the run fails (meets_target false) on a wrong job, a node that died unasked, or — in the soak —
/// a member marked unreachable.
/// </summary>
public sealed class ChaosBench : IBenchmark
{
    private const int SoakFromMinute = ChaosReport.SoakFromMinute;
    private const double SoakDriftLimit = 0.10;

    public string Name => "chaos";

    public string Description => "random kills, freezes, seed restarts and garbage under a stream of checked jobs [--minutes M] [--seed N] [--faults none]";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var minutes = Option(options, "--minutes", options.Quick ? 1.0 : 10.0);
        var seed = (int)Option(options, "--seed", 1);
        var faults = !options.Arguments.Contains("none");
        var duration = TimeSpan.FromMinutes(minutes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(faults ? "chaos" : "soak")}: {minutes:0.#} min, seed {seed}, seed + 3 workers; load average {LoadAverage.Read()}"));

        ChaosReport? baseline = null;
        if (faults)
        {
            var baselineDuration = TimeSpan.FromMinutes(Math.Max(1, minutes / 3));
            Console.WriteLine($"baseline: the same job stream without faults for {baselineDuration.TotalMinutes:0.#} min");
            baseline = await ChaosRun.RunAsync(new ChaosOptions(baselineDuration, seed, Faults: false, Quiet));
            foreach (var line in baseline.Lines()) Console.WriteLine("  " + line);
        }
        var report = await ChaosRun.RunAsync(new ChaosOptions(duration, seed, faults, Console.WriteLine));
        foreach (var line in report.Lines()) Console.WriteLine(line);

        var extra = report.ToJson();
        extra["seed"] = seed;
        extra["load_average"] = LoadAverage.Read();
        extra["series"] = report.Minutes.Select(row => row.OrderBy(r => r.Key, StringComparer.Ordinal)
            .ToDictionary(r => r.Key, r => $"{r.Value.RssKb / 1024.0:0.0}MB/{r.Value.Threads}t")).ToArray();
        if (faults)
        {
            var value = report.JobsCompleted / report.Elapsed.TotalMinutes;
            var without = baseline!.JobsCompleted / baseline.Elapsed.TotalMinutes;
            extra["baseline_kind"] = "jobs/min of the same job stream (same seed) on a fresh cluster without faults, run first in the same invocation";
            extra["baseline_jobs_wrong"] = baseline.Wrong.Count;
            extra["meets_target"] = report.Passed && baseline.Passed;
            return new BenchResult(Name, value, "jobs/min completed right under faults", without, Extra: extra);
        }

        var drift = report.DriftAfter(SoakFromMinute);
        extra["baseline_kind"] = "none: a soak; the value is the largest relative change of any node's RSS or thread count (each the mean of one sample a second over a minute) in a minute after minute 5 from its minute-5 mean";
        extra["rss_drift_after_minute_5"] = drift is { } d ? Math.Round(d.Rss, 3) : -1;
        extra["threads_drift_after_minute_5"] = drift is { } t ? Math.Round(t.Threads, 3) : -1;
        var range = report.RssRangeAfter(SoakFromMinute);
        extra["rss_rise_after_minute_5"] = range is { } up ? Math.Round(up.Rise, 3) : -1;
        extra["rss_fall_after_minute_5"] = range is { } down ? Math.Round(down.Fall, 3) : -1;
        extra["meets_target"] = report.Passed && report.UnreachableMarks == 0 && drift is { } x && x.Rss <= SoakDriftLimit && x.Threads <= SoakDriftLimit;
        Console.WriteLine(drift is { } r && range is { } rf
            ? $"after minute {SoakFromMinute}: RSS within {r.Rss:P1} (it rose by {rf.Rise:P1} at most and fell by {rf.Fall:P1} at most), threads within {r.Threads:P1} of their minute-{SoakFromMinute} values (limit {SoakDriftLimit:P0})"
            : $"the run was too short to compare with minute {SoakFromMinute}");
        return new BenchResult(Name, drift is { } v ? Math.Max(v.Rss, v.Threads) : -1, "largest drift after minute 5", null, HigherIsBetter: false, Extra: extra);
    }

    private static void Quiet(string line)
    {
        if (line.Contains("WRONG", StringComparison.Ordinal) || line.Contains("exited with", StringComparison.Ordinal)) Console.WriteLine("  baseline: " + line);
    }

    private static double Option(BenchOptions options, string name, double fallback)
    {
        var i = options.Arguments.ToList().IndexOf(name);
        if (i < 0) return fallback;
        if (i + 1 < options.Arguments.Count && double.TryParse(options.Arguments[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0)
            return value;
        throw new ArgumentException($"{name}: expected a positive number");
    }
}

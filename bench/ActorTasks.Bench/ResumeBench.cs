using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using ActorTasks.Bench.Tasks;
using ActorTasks.Messages;
using Akka.Actor;

namespace ActorTasks.Bench;

/// <summary>
/// A seed with an SQLite job journal running <c>noop 2000000</c> on its own consumers (run-consumers = on: a seed
/// restarted at the same address forms a new cluster that the old workers never rejoin, so workers would have to be
/// restarted too and their start would be measured along) is killed with kill -9 half way and started again on the
/// same file and port. Value: seconds from the restarted process's start to the job running again, i.e. the first
/// progress event (a watcher in this process, progress every 50 ms) whose done count is past the count the seed logs
/// it resumes from ("Job 1 resumes from its journal: N tasks done"); a result is counted once the journal holds it, so
/// this takes in the first journal write after the restart. Baseline in the same run: seconds from the start
/// of the same seed on an empty journal to the first progress with a task done of a fresh job of the same size,
/// submitted once the seed is up. The job must complete with noop's exact sum; the tasks handed out again, as
/// <c>status 1</c> on the seed's console shows them, should stay within the in-flight window (consumers × prefetch).
/// </summary>
public sealed partial class ResumeBench : IBenchmark
{
    private const double TargetSeconds = 3;
    private const long Tasks = 2_000_000;
    private const int Consumers = 2, Prefetch = 256;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90), JobTimeout = TimeSpan.FromMinutes(10);

    public string Name => "resume";

    public string Description =>
        "noop 2000000 on a journaled seed with its own consumers, kill -9 half way, restart: s from process start to the job running again vs to a fresh job running";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var runs = new List<RunResult>();
        var refused = new List<string>();
        Console.WriteLine($"job: noop {Tasks} on the seed's {Consumers} consumers, prefetch {Prefetch}; load average {LoadAverage.Read()}");
        using var logs = NodeLogs.Create();
        for (var run = 0; run < options.Runs; run++)
        {
            var folder = Directory.CreateTempSubdirectory("actortasks-resume-bench-").FullName;
            try
            {
                runs.Add(await RunOnceAsync(SeedArguments(logs, Path.Combine(folder, "jobs.db")), showLines: runs.Count == 0));
            }
            catch (RestartRefusedException e)
            {
                // A failed run of the product, not of the benchmark: reported, and the other runs go on.
                var files = string.Join(", ", Directory.GetFiles(folder).Select(Path.GetFileName));
                refused.Add($"{e.Message} (the journal's folder then held: {files})");
                Console.WriteLine($"run {run + 1}: the restarted seed did not start: {refused[^1]}");
                continue;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
            var r = runs[^1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run + 1}: killed at {r.DoneAtKill:N0} done; restarted seed up after {r.Up:0.000} s, journal read after {r.JournalRead:0.000} s, " +
                $"resumes from {r.Resumed:N0} after {r.ResumesLine:0.000} s, first progress after {r.FirstProgress:0.000} s, running again after {r.RunningAgain:0.000} s " +
                $"(+{r.Jump:N0} at once) (fresh seed: up after {r.FreshUp:0.000} s, first progress after {r.FreshFirstProgress:0.000} s, job running after " +
                $"{r.FreshRunning:0.000} s with {r.FreshJump:N0} done at once); " +
                $"{r.HandedOutAgain:N0} handed out again (window {Consumers * Prefetch}); the job completed exactly; load average {LoadAverage.Read()}"));
        }
        if (runs.Count == 0) throw new InvalidOperationException($"no run resumed its job: {string.Join("; ", refused)}");
        var value = Measure.Median(runs.Select(r => r.RunningAgain));
        var baseline = Measure.Median(runs.Select(r => r.FreshRunning));
        var handedOutAgain = runs.Max(r => r.HandedOutAgain);
        const int window = Consumers * Prefetch;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: running again {value:0.000} s after the restart (target <= {TargetSeconds} s), a fresh job running {baseline:0.000} s after a fresh start; " +
            $"at most {handedOutAgain} handed out again (window {window}); load average {LoadAverage.Read()}"));
        return new BenchResult(Name, value, "s from restart to running again", baseline, HigherIsBetter: false, Extra: new Dictionary<string, object>
        {
            ["definition"] = "from just before the restarted seed process starts to the first JobProgress (WatchJob from a remote client in the bench " +
                             "process, progress-interval 50ms) whose Done exceeds N in the seed's log line 'Job 1 resumes from its journal: N tasks done'; " +
                             "Done counts a result once the journal holds it, so this includes the first journal write after the restart",
            ["baseline_kind"] = "from just before a fresh seed process starts (empty journal, same settings) to the first JobProgress with Done > 0 " +
                                "of noop 2000000 submitted once the seed printed that it is up",
            ["layout"] = $"one seed process with run-consumers = on ({Consumers} consumers, prefetch {Prefetch}), no worker processes",
            ["tasks"] = Tasks,
            ["target_s"] = TargetSeconds,
            ["meets_target"] = value <= TargetSeconds && handedOutAgain <= window && refused.Count == 0,
            ["restarts_refused"] = refused.ToArray(),
            ["handed_out_again"] = runs.Select(r => r.HandedOutAgain).ToArray(),
            ["in_flight_window"] = window,
            ["handed_out_again_within_window"] = handedOutAgain <= window,
            ["runs_running_again_s"] = runs.Select(r => Math.Round(r.RunningAgain, 3)).ToArray(),
            ["runs_fresh_running_s"] = runs.Select(r => Math.Round(r.FreshRunning, 3)).ToArray(),
            ["runs_up_s"] = runs.Select(r => Math.Round(r.Up, 3)).ToArray(),
            ["runs_journal_read_s"] = runs.Select(r => Math.Round(r.JournalRead, 3)).ToArray(),
            ["runs_resumes_line_s"] = runs.Select(r => Math.Round(r.ResumesLine, 3)).ToArray(),
            ["runs_first_progress_s"] = runs.Select(r => Math.Round(r.FirstProgress, 3)).ToArray(),
            ["runs_first_count_past_resumed"] = runs.Select(r => r.Jump).ToArray(),
            ["runs_fresh_up_s"] = runs.Select(r => Math.Round(r.FreshUp, 3)).ToArray(),
            ["runs_fresh_first_progress_s"] = runs.Select(r => Math.Round(r.FreshFirstProgress, 3)).ToArray(),
            ["runs_fresh_first_count"] = runs.Select(r => r.FreshJump).ToArray(),
            ["runs_done_at_kill"] = runs.Select(r => r.DoneAtKill).ToArray(),
            ["runs_resumed_from"] = runs.Select(r => r.Resumed).ToArray(),
            ["runs"] = options.Runs,
            ["load_average"] = LoadAverage.Read(),
        });
    }

    private static string[] SeedArguments(NodeLogs logs, string journal) =>
    [
        .. logs.NodeArguments,
        // Info, for the lines that say when the journal was read and where the job resumes from.
        "-D", "actortasks.log.level=info",
        "-D", $"actortasks.tasks.journal=\"{journal}\"",
        "-D", "actortasks.tasks.run-consumers=on",
        "-D", $"actortasks.tasks.consumers-per-node={Consumers}",
        "-D", $"actortasks.tasks.prefetch={Prefetch}",
        // The resolution of the measurement: the first progress past the resumed count is seen within this.
        "-D", "actortasks.tasks.progress-interval=50ms",
    ];

    // Times in s from the process start; FirstProgress: the watcher's first progress event (any count), and Jump: by how
    // much the first count past the start exceeded it (many tasks at once: they ran well before they were counted).
    private sealed record RunResult(double FreshUp, double FreshFirstProgress, double FreshRunning, long FreshJump, long DoneAtKill, double Up,
        double JournalRead, double ResumesLine, long Resumed, double FirstProgress, double RunningAgain, long Jump, long HandedOutAgain);

    private static async Task<RunResult> RunOnceAsync(string[] arguments, bool showLines)
    {
        // A fresh seed on an empty journal: the baseline, and the job that is killed half way.
        var fresh = await StartWatchedAsync("seed", 0, arguments, new SubmitJob("noop", [Tasks.ToString(CultureInfo.InvariantCulture)], JobOptions.Default), null);
        string jobId;
        double freshRunning, freshFirst;
        long freshJump;
        long doneAtKill;
        try
        {
            jobId = (await NextAsync<JobAccepted>(fresh.Events, _ => true, "the job accepted")).Event.JobId;
            var firstFresh = await NextAsync<JobProgress>(fresh.Events, _ => true, "a first progress");
            var firstDone = firstFresh.Event.Done > 0 ? firstFresh : await NextAsync<JobProgress>(fresh.Events, p => p.Done > 0, "a first task done");
            (freshFirst, freshRunning, freshJump) = (firstFresh.At.TotalSeconds, firstDone.At.TotalSeconds, firstDone.Event.Done);
            if (showLines) ShowLines("the fresh seed's lines until its job ran", fresh.Seed, firstDone);
            doneAtKill = (await NextAsync<JobProgress>(fresh.Events, p => p.Done >= Tasks / 2, "half the tasks done")).Event.Done;
            fresh.Seed.Process.KillHard();
            await fresh.Seed.Process.WaitForExitAsync();
        }
        finally
        {
            await fresh.DisposeAsync();
        }

        WatchedSeed again;
        try
        {
            again = await StartWatchedAsync("seed-again", fresh.Seed.Address.Port!.Value, arguments, null, jobId);
        }
        catch (SeedExitedException e)
        {
            throw new RestartRefusedException(e.Message);
        }
        try
        {
            var journalRead = await again.Seed.FirstLineAsync("Job journal read", StartTimeout);
            var resumesLine = await again.Seed.FirstLineAsync($"Job {jobId} resumes from its journal", StartTimeout);
            var resumed = long.Parse(ResumedCount().Match(resumesLine.Line).Groups["done"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            var first = await NextAsync<JobProgress>(again.Events, _ => true, "a first progress");
            var running = first.Event.Done > resumed ? first : await NextAsync<JobProgress>(again.Events, p => p.Done > resumed, $"progress past {resumed} done");
            if (showLines) ShowLines("the restarted seed's lines until the job ran again", again.Seed, running);
            var finished = await NextAsync<JobFinished>(again.Events, _ => true, "the job's end");
            var sum = finished.Event.Summary.FirstOrDefault(kv => kv.Key == "exact").Value;
            if (finished.Event.State != JobState.Completed || finished.Event.Done != Tasks || sum != "yes")
                throw new InvalidOperationException($"the resumed job did not complete with each task counted once: {finished.Event.State}, {finished.Event.Done} done, " +
                    $"{string.Join(", ", finished.Event.Summary)}; {finished.Event.Reason}");
            await again.Seed.Process.SendLineAsync($"status {jobId}");
            var status = await again.Seed.Process.WaitForLineAsync(l => l.StartsWith($"{jobId} noop ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Console.WriteLine($"  status {jobId}: {status}");
            var handedOut = HandedOutAgain().Match(status) is { Success: true } m
                ? long.Parse(m.Groups["n"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)
                : 0;
            return new RunResult(fresh.Seed.Up.TotalSeconds, freshFirst, freshRunning, freshJump, doneAtKill, again.Seed.Up.TotalSeconds, journalRead.At.TotalSeconds,
                resumesLine.At.TotalSeconds, resumed, first.At.TotalSeconds, running.At.TotalSeconds, running.Event.Done - resumed, handedOut);
        }
        finally
        {
            await again.DisposeAsync();
        }
    }

    // Where the time went: the seed's output lines up to the progress event that ended the measurement.
    private static void ShowLines(string title, TimedSeed seed, (TimeSpan At, JobProgress Event) progress)
    {
        Console.WriteLine($"  {title} (s from its start):");
        foreach (var (at, line) in seed.Lines().Where(l => l.At <= progress.At))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {at.TotalSeconds,7:0.000} {line}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {progress.At.TotalSeconds,7:0.000} (watcher) progress: {progress.Event.Done:N0} done"));
    }

    // A client system made before the seed starts (so it has never spoken to an earlier seed at that address), the
    // seed, and a watcher on the job once the seed is up.
    private static async Task<WatchedSeed> StartWatchedAsync(string name, int port, string[] arguments, SubmitJob? submit, string? jobId)
    {
        var client = ClusterBenchSupport.StartClient();
        try
        {
            var seed = await TimedSeed.StartAsync(name, port, arguments, StartTimeout);
            var events = Channel.CreateUnbounded<(TimeSpan At, object Event)>(new UnboundedChannelOptions { SingleReader = true });
            client.ActorOf(Props.Create(() => new JobWatcher(seed.Address, submit, jobId, seed.Clock, events.Writer)));
            return new WatchedSeed(client, seed, events.Reader);
        }
        catch
        {
            await client.Terminate();
            throw;
        }
    }

    private sealed record WatchedSeed(ActorSystem Client, TimedSeed Seed, ChannelReader<(TimeSpan At, object Event)> Events) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Seed.DisposeAsync();
            await Client.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    // The next event of type T that matches; anything that says the job is not there (JobUnknown, JobRejected) throws.
    private static async Task<(TimeSpan At, T Event)> NextAsync<T>(ChannelReader<(TimeSpan At, object Event)> events, Func<T, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(JobTimeout);
        try
        {
            await foreach (var (at, e) in events.ReadAllAsync(timeout.Token))
            {
                if (e is T t && match(t)) return (at, t);
                if (e is JobUnknown or JobRejected) throw new InvalidOperationException($"waiting for {what}, the seed answered {e}");
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {what} within {JobTimeout.TotalMinutes:0} min");
        }
        throw new InvalidOperationException($"the watch ended before {what}");
    }

    /// <summary>The seed started again on the journal exited before it was up; the message says what it printed.</summary>
    private sealed class RestartRefusedException(string message) : Exception(message);

    [GeneratedRegex(@"resumes from its journal: (?<done>[\d,]+) tasks done")]
    private static partial Regex ResumedCount();

    [GeneratedRegex(@"(?<n>[\d,]+) handed out again")]
    private static partial Regex HandedOutAgain();
}

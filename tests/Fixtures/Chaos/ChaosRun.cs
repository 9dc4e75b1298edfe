using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ActorTasks.Messages;
using ActorTasks.Node.Hosting;
using Akka.Actor;

namespace ActorTasks.Tests.Fixtures.Chaos;

/// <summary>The faults a chaos run draws from.</summary>
internal enum ChaosFault
{
    KillWorker,
    FreezeWorker,
    KillSeed,
    Garbage,
    HalfOpenHandshake,
    OversizedFrame,
    VanishingClient,
}

/// <summary>
/// How a chaos run goes: <paramref name="Duration"/> of jobs (and, with <paramref name="Faults"/>, a fault every
/// <paramref name="FaultGap"/> or so, each drawn from <c>new Random(Seed)</c>), then every job is let finish.
/// </summary>
internal sealed record ChaosOptions(TimeSpan Duration, int Seed, bool Faults, Action<string> Log)
{
    public int Workers { get; init; } = 3;

    /// <summary>Jobs kept running at once: enough that every consumer is busy.</summary>
    public int JobsInFlight { get; init; } = 3;

    /// <summary>With faults, the run ends after this many (or at <see cref="ChaosOptions.Duration"/>, whichever comes first).</summary>
    public int MaxFaults { get; init; } = int.MaxValue;

    /// <summary>The least time between two faults; up to 2 s more is drawn.</summary>
    public TimeSpan FaultGap { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a frozen worker stays frozen: well past the failure detector and the resolver's stable-after (about 7 s).</summary>
    public TimeSpan Freeze { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>How long the jobs still running at the end may take to finish.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Extra arguments for every node (e.g. <c>-D actortasks.log.file-directory=…</c>).</summary>
    public IReadOnlyList<string> NodeArguments { get; init; } = [];
}

/// <summary>
/// A seed (SQLite journal) and workers as processes, a stream of jobs with known answers, and, every few seconds, one
/// fault: a worker killed or frozen past its downing, the seed killed and started again on its journal, garbage, a
/// half-open handshake or an oversized frame at a node's port, a client that submits and vanishes. Shared by the
/// chaos benchmark and its short form in the tests.
/// </summary>
internal sealed partial class ChaosRun
{
    private const string UnreachableWarning = "Marking node(s) as UNREACHABLE";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500), AskTimeout = TimeSpan.FromSeconds(5);

    private readonly ChaosOptions _options;
    private readonly Stopwatch _clock = new();
    private readonly ChaosReport _report = new();
    private readonly ConcurrentQueue<FaultRecord> _unresolved = new();
    private readonly List<Task> _background = [];
    private readonly List<Task> _vanishing = [];
    private readonly Dictionary<string, TrackedJob> _jobs = new(StringComparer.Ordinal);
    private ChaosJobs _catalog = null!;
    private ChaosCluster _cluster = null!;
    private volatile bool _faulting;
    private int _clients;

    private ChaosRun(ChaosOptions options) => _options = options;

    /// <summary>Runs the chaos (or, without faults, the soak) and returns what it counted.</summary>
    public static Task<ChaosReport> RunAsync(ChaosOptions options) => new ChaosRun(options).RunAsync();

    private async Task<ChaosReport> RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("actortasks-chaos-").FullName;
        try
        {
            _catalog = ChaosJobs.Create(folder, _options.Seed);
            string[] nodeArguments = ["-D", "actortasks.log.level=warning", "-D", $"actortasks.log.file-directory=\"{Path.Combine(folder, "logs-of-nodes")}\"", .. _options.NodeArguments];
            _cluster = await ChaosCluster.StartAsync(_options.Workers, nodeArguments, Path.Combine(folder, "jobs.db"), Log, OnLine);
            await using (_cluster)
            {
                _clock.Start();
                using var stop = new CancellationTokenSource();
                var sampler = SampleAsync(stop.Token);
                var faults = _options.Faults ? FaultsAsync() : Task.CompletedTask;
                var jobs = JobsAsync();
                await Task.WhenAll(jobs, faults);
                await Task.WhenAll(_background.Concat(_vanishing));
                await _cluster.WorkersStartedAsync();
                stop.Cancel();
                await sampler;
                _report.Deaths.AddRange(_cluster.Deaths);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        _report.Elapsed = _clock.Elapsed;
        return _report;
    }

    private void Log(string line) => _options.Log(string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds,7:0.0} s  {line}"));

    private void OnLine(NodeProcess node, string line)
    {
        if (line.Contains(UnreachableWarning, StringComparison.Ordinal)) Interlocked.Increment(ref _report.UnreachableMarks);
        if (line.Contains(" WRN]", StringComparison.Ordinal) || line.Contains(" ERR]", StringComparison.Ordinal) || line.Contains(" FTL]", StringComparison.Ordinal))
            Log($"[{node.Name}] {line}");
    }

    // Keeps JobsInFlight jobs running until the run's time is up, follows every job the seed lists, checks each that
    // ends, and notes when jobs progress after a fault. Then lets the rest finish.
    private async Task JobsAsync()
    {
        var random = new Random(_options.Seed ^ 0x5EED);
        var drainUntil = (TimeSpan?)null;
        while (true)
        {
            var pollStarted = _clock.Elapsed;
            var submitting = pollStarted < _options.Duration && (_faulting || !_options.Faults);
            if (!submitting && !_faulting) drainUntil ??= pollStarted + _options.Drain;
            var list = await AskAsync<JobList>(ListJobs.Instance);
            if (list is not null)
            {
                var progressed = await FollowAsync(list);
                if (progressed) ResolveFaults(pollStarted);
                var running = _jobs.Values.Count(j => !j.Settled);
                if (submitting && running < _options.JobsInFlight) await SubmitAsync(_catalog.Next(random));
                if (drainUntil is not null && running == 0) break;
            }
            if (drainUntil is { } until && _clock.Elapsed > until)
            {
                foreach (var job in _jobs.Values.Where(j => !j.Settled))
                    _report.Wrong.Enqueue($"job {job.Id} ({job.Kind} {string.Join(' ', job.Arguments)}) never finished: {job.LastDone} done when the run gave up");
                break;
            }
            await Task.Delay(Poll);
        }
    }

    private async Task<bool> FollowAsync(JobList list)
    {
        var progressed = false;
        foreach (var report in list.Jobs)
        {
            if (!_jobs.TryGetValue(report.JobId, out var job))
            {
                job = new TrackedJob(report.JobId, report.Kind, report.Arguments);
                _jobs[report.JobId] = job;
                Log($"job {job.Id} seen ({job.Kind} {string.Join(' ', job.Arguments)})");
            }
            if (report.Done > job.LastDone) progressed = true;
            job.LastDone = report.Done;
            if (report.State == JobState.Running || job.Settled) continue;
            if (await ResultsAsync(report.JobId) is not { } result) continue;
            job.Settled = true;
            progressed = true;
            _report.TasksRunAgain += report.RunAgain;
            var problem = _catalog.Check(job.Kind, job.Arguments, result.Finished, result.Lines);
            if (problem is null) _report.JobsCompleted++;
            else _report.Wrong.Enqueue($"job {job.Id} ({job.Kind} {string.Join(' ', job.Arguments)}): {problem}");
            Log($"job {job.Id} {job.Kind} {(problem is null ? "right" : "WRONG: " + problem)}; {report.Done} done, {report.RunAgain} handed out again");
        }
        foreach (var lost in _jobs.Values.Where(j => !j.Settled && list.Jobs.All(r => r.JobId != j.Id)).ToList())
        {
            lost.Settled = true;
            _report.Wrong.Enqueue($"job {lost.Id} ({lost.Kind}) is no longer known to the seed; {lost.LastDone} were done");
        }
        return progressed;
    }

    private async Task<(JobFinished Finished, List<string> Lines)?> ResultsAsync(string jobId)
    {
        if (await AskAsync<object>(new GetJobResults(jobId)) is not JobFinished finished) return null;
        var lines = finished.Lines.ToList();
        while (lines.Count < finished.LineCount)
        {
            if (await AskAsync<object>(new GetJobLines(jobId, lines.Count, int.MaxValue)) is not JobLines page || page.Lines.Count == 0) return null;
            lines.AddRange(page.Lines);
        }
        return (finished, lines);
    }

    private async Task SubmitAsync((string Kind, string[] Arguments) job)
    {
        var answer = await AskAsync<object>(new SubmitJob(job.Kind, job.Arguments, JobOptions.Default));
        if (answer is JobAccepted accepted)
        {
            _jobs.TryAdd(accepted.JobId, new TrackedJob(accepted.JobId, job.Kind, job.Arguments));
            _report.JobsSubmitted++;
        }
        else
        {
            // A submit lost with the seed may still have been journaled: the job is then adopted from the seed's list.
            _report.SubmitsUnanswered++;
        }
    }

    // Null when the seed does not answer in time (it is down, or restarting) or answers something else.
    private async Task<T?> AskAsync<T>(object message) where T : class
    {
        try
        {
            return await _cluster.Client.JobManager.Ask<object>(message, AskTimeout) as T;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A timeout, or the client being replaced after a seed restart: the next poll asks again.
            return null;
        }
    }

    // Jobs progressed in a poll that started after these faults were injected: the cluster works again.
    private void ResolveFaults(TimeSpan pollStarted)
    {
        var pending = _unresolved.Count;
        for (var i = 0; i < pending && _unresolved.TryDequeue(out var fault); i++)
        {
            if (fault.Injected < pollStarted && fault.Done)
                fault.Recovered = _clock.Elapsed - fault.Injected;
            else
                _unresolved.Enqueue(fault);
        }
    }

    private async Task FaultsAsync()
    {
        _faulting = true;
        var random = new Random(_options.Seed);
        var kinds = Enum.GetValues<ChaosFault>();
        try
        {
            while (true)
            {
                await Task.Delay(_options.FaultGap + TimeSpan.FromMilliseconds(random.Next(0, 2000)));
                var kind = kinds[random.Next(kinds.Length)];
                // One member lost at a time (besides a frozen one, which the others outnumber): two at once out of four
                // is a tie the split-brain resolver may settle against the seed's side.
                if (kind is ChaosFault.KillWorker or ChaosFault.FreezeWorker or ChaosFault.KillSeed) await _cluster.WorkersStartedAsync();
                if (_clock.Elapsed >= _options.Duration || _report.Faults.Count >= _options.MaxFaults) break;
                var fault = new FaultRecord(kind, _clock.Elapsed);
                _report.Faults.Add(fault);
                _unresolved.Enqueue(fault);
                fault.Detail = await InjectAsync(kind, random);
                fault.Done = true;
                Log($"fault {_report.Faults.Count}: {kind} {fault.Detail}");
            }
        }
        finally
        {
            _faulting = false;
        }
    }

    private async Task<string> InjectAsync(ChaosFault kind, Random random)
    {
        switch (kind)
        {
            case ChaosFault.KillWorker:
            {
                var worker = _cluster.Workers[random.Next(_cluster.Workers.Count)];
                _cluster.KillWorker(worker);
                _cluster.ReplaceWorker();
                return $"{worker.Name} killed, another started";
            }
            case ChaosFault.FreezeWorker:
            {
                var worker = _cluster.Workers[random.Next(_cluster.Workers.Count)];
                _cluster.FreezeWorker(worker);
                _cluster.ReplaceWorker();
                _background.Add(MustBeDownedAsync(worker));
                return $"{worker.Name} frozen for {_options.Freeze.TotalSeconds:0} s, another started";
            }
            case ChaosFault.KillSeed:
            {
                // A client still on its way to the seed would find none: it is to vanish after its job is accepted.
                await Task.WhenAll(_vanishing);
                var old = _cluster.Seed.Name;
                var restarted = await _cluster.RestartSeedAsync();
                _report.WorkersRestartedAfterSeed += restarted;
                return $"{old} killed, {_cluster.Seed.Name} started on its journal; {restarted} workers restarted to join it";
            }
            case ChaosFault.Garbage:
            {
                var (node, target) = AnyNode(random);
                await NetworkFaults.GarbageAsync(target, random, 256 * 1024);
                return $"256 KiB of random bytes to {node}";
            }
            case ChaosFault.OversizedFrame:
            {
                var (node, target) = AnyNode(random);
                await NetworkFaults.OversizedFrameAsync(target, random, 1024 * 1024);
                return $"a frame announcing 2 GiB, then 1 MiB, to {node}";
            }
            case ChaosFault.HalfOpenHandshake:
            {
                var (node, target) = AnyNode(random);
                _background.Add(NetworkFaults.HalfOpenAsync(target, TimeSpan.FromSeconds(15)));
                return $"a silent TCP connection and a TLS ClientHello cut short, held 15 s, to {node}";
            }
            default:
                var (job, arguments) = _catalog.Next(random);
                var name = string.Create(CultureInfo.InvariantCulture, $"submit-{++_clients}");
                _vanishing.Add(VanishingClientAsync(name, job, arguments));
                return $"{name} submits {job} and is killed with kill -9 once the seed has accepted it";
        }
    }

    private (string Name, SeedEndpoint Endpoint) AnyNode(Random random)
    {
        var nodes = _cluster.Workers.Prepend(_cluster.Seed).ToList();
        var node = nodes[random.Next(nodes.Count)];
        return (node.Name, _cluster.Endpoints[node]);
    }

    // `actortasks submit … --wait` killed with kill -9 once the seed has accepted its job: the job must still end right.
    private async Task VanishingClientAsync(string name, string kind, string[] arguments)
    {
        await using var client = NodeProcess.Start(name, ["submit", kind, .. arguments, "--seed", _cluster.SeedEndpoint.ToString(), "--wait"], (_, _) => { });
        _cluster.ExpectEnd(client, "killed");
        try
        {
            var accepted = await client.WaitForLineAsync(l => AcceptedLine().IsMatch(l), TimeSpan.FromSeconds(120));
            Log($"{name} killed after '{accepted}'");
        }
        catch (TimeoutException e)
        {
            _report.Problems.Enqueue($"{name} ({kind} {string.Join(' ', arguments)}) was not accepted: {e.Message}");
        }
        finally
        {
            client.KillHard();
        }
    }

    // A worker frozen past its downing and thawed must find itself downed and exit 1 (README: a downed node exits 1).
    private async Task MustBeDownedAsync(NodeProcess worker)
    {
        await Task.Delay(_options.Freeze);
        ProcessSignals.Thaw(worker.Id);
        var thawed = _clock.Elapsed;
        try
        {
            await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
            var after = _clock.Elapsed - thawed;
            if (worker.ExitCode == 1) _report.FrozenDowned.Enqueue(after);
            else _report.Problems.Enqueue($"{worker.Name}, thawed, exited with {worker.ExitCode} after {after.TotalSeconds:0.0} s instead of 1 (downed)");
        }
        catch (TimeoutException)
        {
            _report.Problems.Enqueue($"{worker.Name}, thawed, still ran 90 s later; its last lines:\n    {string.Join("\n    ", worker.Output.TakeLast(20))}");
        }
    }

    // Every second, each node's memory and threads (for the peaks); at each whole minute, a row of the series: each
    // node's means over that minute's samples, which a garbage collection or a pool thread coming or going at the
    // moment of one sample would not sway.
    private async Task SampleAsync(CancellationToken stop)
    {
        var nextMinute = TimeSpan.FromMinutes(1);
        var sums = new Dictionary<string, (long Rss, long Threads, int Samples)>(StringComparer.Ordinal);
        while (!stop.IsCancellationRequested)
        {
            foreach (var node in _cluster.Running())
            {
                if (ProcessStats.Read(node.Id) is not { } stats) continue;
                var sum = sums.GetValueOrDefault(node.Name);
                sums[node.Name] = (sum.Rss + stats.RssKb, sum.Threads + stats.Threads, sum.Samples + 1);
                _report.Peaks[node.Name] = _report.Peaks.TryGetValue(node.Name, out var peak)
                    ? new ProcessStats(Math.Max(peak.RssKb, stats.RssKb), Math.Max(peak.Threads, stats.Threads))
                    : stats;
                if (_report.Minutes.Count >= ChaosReport.SoakFromMinute && ProcessStats.ThreadNames(node.Id) is { } names) _report.AddThreadSample(node.Name, names);
            }
            if (_clock.Elapsed >= nextMinute)
            {
                var row = sums.ToDictionary(kv => kv.Key, kv => new ProcessStats(kv.Value.Rss / kv.Value.Samples, (int)Math.Round(kv.Value.Threads / (double)kv.Value.Samples)),
                    StringComparer.Ordinal);
                sums.Clear();
                _report.Minutes.Add(row);
                Log($"minute {_report.Minutes.Count} (means): " + string.Join(", ", row.OrderBy(r => r.Key, StringComparer.Ordinal)
                    .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value.RssKb / 1024.0:0.0} MB {r.Value.Threads} threads"))));
                nextMinute += TimeSpan.FromMinutes(1);
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private sealed class TrackedJob(string id, string kind, IReadOnlyList<string> arguments)
    {
        public string Id { get; } = id;
        public string Kind { get; } = kind;
        public IReadOnlyList<string> Arguments { get; } = arguments;
        public long LastDone { get; set; }
        public bool Settled { get; set; }
    }

    [GeneratedRegex(@"^job \d+ accepted")]
    private static partial Regex AcceptedLine();
}

using System.Collections.Concurrent;
using System.Globalization;

namespace ActorTasks.Tests.Fixtures.Chaos;

/// <summary>One fault of a chaos run: when it was injected, and how long until jobs progressed again after it.</summary>
internal sealed class FaultRecord(ChaosFault kind, TimeSpan injected)
{
    public ChaosFault Kind { get; } = kind;
    public TimeSpan Injected { get; } = injected;
    public string Detail { get; set; } = "";
    /// <summary>The fault's own steps (a replacement started, a seed restarted) are over.</summary>
    public volatile bool Done;
    public TimeSpan? Recovered { get; set; }
}

/// <summary>What a chaos run counted. <see cref="Wrong"/>, <see cref="Problems"/> and <see cref="Deaths"/> must be empty for the run to pass.</summary>
internal sealed class ChaosReport
{
    public List<FaultRecord> Faults { get; } = [];
    public int JobsSubmitted;
    public int JobsCompleted;
    public int SubmitsUnanswered;
    public long TasksRunAgain;
    public int WorkersRestartedAfterSeed;
    public int UnreachableMarks;
    /// <summary>Jobs whose result differs from the known answer (or that never ended), and other broken promises.</summary>
    public ConcurrentQueue<string> Wrong { get; } = new();
    /// <summary>Other promises broken: a frozen worker not downed, a client's job not accepted.</summary>
    public ConcurrentQueue<string> Problems { get; } = new();
    /// <summary>Nodes that ended without being told to.</summary>
    public List<string> Deaths { get; } = [];
    /// <summary>How long after SIGCONT each frozen worker exited, downed.</summary>
    public ConcurrentQueue<TimeSpan> FrozenDowned { get; } = new();
    public Dictionary<string, ProcessStats> Peaks { get; } = new(StringComparer.Ordinal);
    /// <summary>Each node's figures for each whole minute: the means of its samples, one a second.</summary>
    public List<Dictionary<string, ProcessStats>> Minutes { get; } = [];
    public TimeSpan Elapsed { get; set; }
    /// <summary>The soak compares every later minute with this one (the nodes have warmed up by then).</summary>
    public const int SoakFromMinute = 5;
    /// <summary>
    /// From the soak's minute 5 on, for each node, the fewest and most threads of each name seen in a sample: which
    /// threads come and go (the .NET thread pool's workers, the JIT's background compiler) and which stay.
    /// </summary>
    public Dictionary<string, Dictionary<string, (int Min, int Max)>> ThreadRanges { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a sample of <paramref name="node"/>'s threads by name to <see cref="ThreadRanges"/>.</summary>
    public void AddThreadSample(string node, Dictionary<string, int> names)
    {
        if (!ThreadRanges.TryGetValue(node, out var ranges))
        {
            ThreadRanges[node] = names.ToDictionary(n => n.Key, n => (n.Value, n.Value), StringComparer.Ordinal);
            return;
        }
        foreach (var name in ranges.Keys.Union(names.Keys).ToList())
        {
            var count = names.GetValueOrDefault(name);
            ranges[name] = ranges.TryGetValue(name, out var r) ? (Math.Min(r.Min, count), Math.Max(r.Max, count)) : (0, count);
        }
    }

    /// <summary>For each node: the threads whose count stayed the same, and the names whose count changed with their range.</summary>
    public SortedDictionary<string, (int Fixed, SortedDictionary<string, string> Varied)> ThreadsThatVaried() =>
        new(ThreadRanges.ToDictionary(
            n => n.Key,
            n => (n.Value.Values.Where(r => r.Min == r.Max).Sum(r => r.Min),
                new SortedDictionary<string, string>(n.Value.Where(r => r.Value.Min != r.Value.Max).ToDictionary(r => r.Key, r => $"{r.Value.Min}-{r.Value.Max}"), StringComparer.Ordinal))),
            StringComparer.Ordinal);

    public bool Passed => Wrong.IsEmpty && Problems.IsEmpty && Deaths.Count == 0;

    public TimeSpan? LongestRecovery => Faults.Select(f => f.Recovered).Max();

    /// <summary>Faults after which jobs were never seen progressing (the run ended first).</summary>
    public int Unrecovered => Faults.Count(f => f.Recovered is null);

    /// <summary>
    /// The soak's check: for each node that ran through, the largest relative distance of its RSS and of its thread
    /// count after minute <paramref name="from"/> from their values at that minute; null when the run was shorter.
    /// </summary>
    public (double Rss, double Threads)? DriftAfter(int from) =>
        ChangesAfter(from) is { } changes
            ? (changes.Select(c => Math.Abs(c.Rss)).DefaultIfEmpty().Max(), changes.Select(c => Math.Abs(c.Threads)).DefaultIfEmpty().Max())
            : null;

    /// <summary>
    /// The soak's memory in each direction: the largest rise and the largest fall of a node's RSS after minute
    /// <paramref name="from"/>, relative to its value then (a rise is growth; a fall is garbage collected that the minute
    /// held); null when the run was shorter.
    /// </summary>
    public (double Rise, double Fall)? RssRangeAfter(int from) =>
        ChangesAfter(from) is { } changes
            ? (Math.Max(0, changes.Select(c => c.Rss).DefaultIfEmpty().Max()), Math.Max(0, -changes.Select(c => c.Rss).DefaultIfEmpty().Min()))
            : null;

    // Each node's minute after minute `from`, as relative changes of its RSS and thread count from that minute.
    private List<(double Rss, double Threads)>? ChangesAfter(int from)
    {
        if (Minutes.Count <= from) return null;
        var start = Minutes[from - 1];
        return [.. Minutes.Skip(from).SelectMany(row => row
            .Where(n => start.ContainsKey(n.Key))
            .Select(n => ((n.Value.RssKb - start[n.Key].RssKb) / (double)start[n.Key].RssKb,
                (n.Value.Threads - start[n.Key].Threads) / (double)start[n.Key].Threads)))];
    }

    /// <summary>Readable lines: the counts, the faults, anything wrong.</summary>
    public IEnumerable<string> Lines()
    {
        var inv = CultureInfo.InvariantCulture;
        yield return $"faults by kind: {string.Join(", ", FaultsByKind().Select(kv => $"{kv.Key} {kv.Value}"))}";
        foreach (var f in Faults)
            yield return string.Create(inv, $"  {f.Injected.TotalSeconds,7:0.0} s {f.Kind}: {f.Detail}; jobs progressed again after {(f.Recovered is { } r ? $"{r.TotalSeconds:0.0} s" : "— (not seen)")}");
        yield return string.Create(inv, $"jobs: {JobsSubmitted} submitted here, {JobsCompleted} completed with their known answer, {Wrong.Count} wrong; " +
            $"{TasksRunAgain} tasks handed out again; {SubmitsUnanswered} submits unanswered (seed away)");
        yield return string.Create(inv, $"longest from a fault to jobs progressing again: {(LongestRecovery is { } l ? $"{l.TotalSeconds:0.0} s" : "—")}; " +
            $"workers restarted after a seed restart: {WorkersRestartedAfterSeed}; frozen workers downed and exited: {FrozenDowned.Count} " +
            $"({string.Join(", ", FrozenDowned.Select(t => t.TotalSeconds.ToString("0.0", inv) + " s"))} after SIGCONT); 'UNREACHABLE' marks: {UnreachableMarks}");
        foreach (var (node, peak) in Peaks.OrderBy(p => p.Key, StringComparer.Ordinal))
            yield return string.Create(inv, $"  {node}: peak RSS {peak.RssKb / 1024.0:0.0} MB, peak threads {peak.Threads}");
        foreach (var (node, (steady, varied)) in ThreadsThatVaried())
            yield return $"  {node} threads from minute 5 on: {steady} stayed; came and went: {(varied.Count == 0 ? "none" : string.Join(", ", varied.Select(v => $"{v.Key} {v.Value}")))}";
        foreach (var wrong in Wrong) yield return "WRONG: " + wrong;
        foreach (var problem in Problems) yield return "PROBLEM: " + problem;
        foreach (var death in Deaths) yield return "DIED: " + death;
    }

    public SortedDictionary<string, int> FaultsByKind() =>
        new(Faults.GroupBy(f => f.Kind.ToString()).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);

    /// <summary>The figures for a benchmark's JSON line.</summary>
    public Dictionary<string, object> ToJson() => new()
    {
        ["faults"] = Faults.Count,
        ["faults_by_kind"] = FaultsByKind(),
        ["jobs_completed"] = JobsCompleted,
        ["jobs_wrong"] = Wrong.Count,
        ["other_problems"] = Problems.Count,
        ["node_deaths"] = Deaths.Count,
        ["tasks_run_again"] = TasksRunAgain,
        ["longest_fault_to_progress_s"] = LongestRecovery is { } l ? Math.Round(l.TotalSeconds, 1) : -1,
        ["faults_without_progress_after"] = Unrecovered,
        ["workers_restarted_after_seed_restart"] = WorkersRestartedAfterSeed,
        ["frozen_workers_downed"] = FrozenDowned.Count,
        ["unreachable_marks"] = UnreachableMarks,
        ["peak_rss_mb"] = new SortedDictionary<string, double>(Peaks.ToDictionary(p => p.Key, p => Math.Round(p.Value.RssKb / 1024.0, 1)), StringComparer.Ordinal),
        ["peak_threads"] = new SortedDictionary<string, int>(Peaks.ToDictionary(p => p.Key, p => p.Value.Threads), StringComparer.Ordinal),
        ["minutes"] = Math.Round(Elapsed.TotalMinutes, 2),
        ["threads_from_minute_5"] = ThreadsThatVaried().ToDictionary(n => n.Key, n => new Dictionary<string, object> { ["stayed"] = n.Value.Fixed, ["came_and_went"] = n.Value.Varied }),
    };
}

using ActorTasks.Messages;
using Akka.Actor;
using Prometheus;

namespace ActorTasks.Node.Dashboard;

/// <summary>
/// Turns what the job manager tells into Prometheus metrics: it lists the jobs every <see cref="Period"/> (tasks done
/// and failed by kind, jobs by state, pending tasks) and watches each job as <c>watch</c> does (tasks done by kind and
/// node, tasks per second).
/// </summary>
/// <remarks>The metrics are prometheus-net's thread-safe sinks, written here as a logger is; the counts behind them are this actor's own.</remarks>
internal sealed class JobMetrics : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>The node label of tasks a job's last progress report had not yet counted per node when it ended.</summary>
    public const string UnattributedNode = "unattributed";

    private sealed record Seen(string Kind, long Done, long Failed);

    private sealed class Watched(string kind)
    {
        public string Kind { get; } = kind;
        public Dictionary<string, long> PerNode { get; } = new(StringComparer.Ordinal);
        public double Rate { get; set; }
    }

    private readonly IActorRef _jobManager;
    private readonly Metrics _metrics;
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Watched> _watched = new(StringComparer.Ordinal);

    /// <summary>The metrics this actor keeps up to date.</summary>
    public sealed record Metrics(Counter Done, Counter Failed, Counter DoneByNode, Gauge Jobs, Gauge Pending, Gauge Rate);

    public JobMetrics(IActorRef jobManager, Metrics metrics)
    {
        _jobManager = jobManager;
        _metrics = metrics;
        Receive<Tick>(_ => _jobManager.Tell(ListJobs.Instance, Self));
        Receive<JobList>(OnJobList);
        Receive<JobProgress>(OnProgress);
        Receive<JobFinished>(f => Forget(f.JobId, f.Done));
        Receive<JobUnknown>(u => Forget(u.JobId, null));
        Receive<JobStatusReport>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("list", Tick.Instance, TimeSpan.Zero, Period);

    protected override void PostStop()
    {
        foreach (var id in _watched.Keys) _jobManager.Tell(new UnwatchJob(id), Self);
    }

    private void OnJobList(JobList list)
    {
        var byState = Enum.GetValues<JobState>().ToDictionary(s => s, _ => 0);
        long pending = 0;
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in list.Jobs)
        {
            listed.Add(job.JobId);
            byState[job.State]++;
            var first = !_seen.TryGetValue(job.JobId, out var seen);
            var last = seen ?? new Seen(job.Kind, 0, 0);
            if (job.Done > last.Done) _metrics.Done.WithLabels(job.Kind).Inc(job.Done - last.Done);
            if (job.Failed > last.Failed) _metrics.Failed.WithLabels(job.Kind).Inc(job.Failed - last.Failed);
            _seen[job.JobId] = new Seen(job.Kind, Math.Max(job.Done, last.Done), Math.Max(job.Failed, last.Failed));
            // A job that ended before it was first seen is watched too: the manager answers with its last progress (its
            // tasks per node) and its end.
            if ((job.State == JobState.Running || first) && !_watched.ContainsKey(job.JobId))
            {
                _watched[job.JobId] = new Watched(job.Kind);
                _jobManager.Tell(new WatchJob(job.JobId), Self);
            }
            // Tasks not settled yet: queued at the producer, or handed out and running (unknown while the split goes on).
            if (job.State == JobState.Running && job.Total is { } total) pending += Math.Max(0, total - job.Done - job.Failed);
        }
        foreach (var gone in _seen.Keys.Where(id => !listed.Contains(id)).ToList()) _seen.Remove(gone);
        foreach (var (state, count) in byState) _metrics.Jobs.WithLabels(state.ToString()).Set(count);
        _metrics.Pending.Set(pending);
    }

    private void OnProgress(JobProgress progress)
    {
        if (!_watched.TryGetValue(progress.JobId, out var job)) return;
        foreach (var (node, done) in progress.PerNode)
        {
            var before = job.PerNode.GetValueOrDefault(node);
            if (done > before) _metrics.DoneByNode.WithLabels(job.Kind, node).Inc(done - before);
            job.PerNode[node] = Math.Max(done, before);
        }
        job.Rate = progress.RatePerSecond;
        _metrics.Rate.Set(_watched.Values.Sum(w => w.Rate));
    }

    private void Forget(string jobId, long? done)
    {
        if (!_watched.Remove(jobId, out var job)) return;
        var counted = job.PerNode.Values.Sum();
        if (done > counted) _metrics.DoneByNode.WithLabels(job.Kind, UnattributedNode).Inc(done.Value - counted);
        _metrics.Rate.Set(_watched.Values.Sum(w => w.Rate));
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}

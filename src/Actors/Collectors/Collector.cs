using System.Diagnostics;
using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Jobs;
using Akka.Event;

namespace ActorTasks.Tasks.Collectors;

/// <summary>
/// Reduces a job's results as they arrive, counting each task exactly once however often its result is delivered
/// (dedup by task index), publishes progress to watchers at most every progress interval, and tells the job
/// manager when the job has ended: every task settled, or an <see cref="EndJob"/> (cancel, fail-fast, a failed split).
/// </summary>
public sealed class Collector : ReceiveActor, IWithTimers
{
    private static readonly object ProgressTimerKey = "progress";
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    // The failures kept travel in the job's result: each error message is cut to this, so a hundred of them fit a message.
    private const int MaxErrorLength = 2000;

    private readonly string _jobId;
    private readonly IPreparedJob _job;
    private readonly TaskSystemSettings _settings;
    private readonly IActorRef _manager;
    private readonly ILoggingAdapter _log;
    private readonly SettledSet _settled = new();
    private readonly List<TaskFailure> _failures = [];
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<Address, long> _perNode = [];
    private readonly HashSet<IActorRef> _watchers = [];
    private readonly RateMeter _rate = new(RateWindow);
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Address _selfAddress = ((ExtendedActorSystem)Context.System).Provider.DefaultAddress;
    private IJobReducer? _reducer;
    private long _done;
    private long _failed;
    private long? _total;
    private bool _changed = true;
    private bool _finished;

    /// <summary>Creates the collector of job <paramref name="jobId"/>, reporting to <paramref name="manager"/>.</summary>
    public Collector(string jobId, IPreparedJob job, TaskSystemSettings settings, IActorRef manager)
    {
        _jobId = jobId;
        _job = job;
        _settings = settings;
        _manager = manager;
        _log = Context.GetLogger();

        Receive<TaskResults>(OnResults);
        Receive<TaskAbandoned>(a => OnAbandoned(a.Failure, a.EndsJob));
        Receive<SplitFinished>(s =>
        {
            _total = s.Total;
            _changed = true;
            FinishIfComplete();
        });
        Receive<EndJob>(e => Finish(e.State, e.Reason));
        Receive<WatchJob>(_ => AddWatcher(Sender));
        Receive<UnwatchJob>(_ =>
        {
            if (_watchers.Remove(Sender)) Context.Unwatch(Sender);
        });
        Receive<Terminated>(t => _watchers.Remove(t.ActorRef));
        Receive<ProgressTick>(_ => PublishProgress());
    }

    /// <summary>Set by the runtime: this actor's timers.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <inheritdoc />
    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(ProgressTimerKey, ProgressTick.Instance, _settings.ProgressInterval);
        try
        {
            _reducer = _job.CreateReducer();
        }
        catch (Exception e)
        {
            _log.Warning(e, "Creating the reducer of job {JobId} failed", _jobId);
            Finish(JobState.Failed, $"creating the job's reducer failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private void OnResults(TaskResults results)
    {
        if (_finished) return;
        var fresh = 0L;
        foreach (var s in results.Succeeded ?? [])
        {
            if (!_settled.TryAdd(s.Index)) continue; // a repeat: the task ran twice, its first result counts
            try
            {
                _reducer!.Add(s.Index, s.Result ?? []);
            }
            catch (Exception e)
            {
                _log.Warning(e, "Reducing the result of task {Index} of job {JobId} failed", s.Index, _jobId);
                Finish(JobState.Failed, $"reducing the result of task {s.Index} failed: {e.GetType().Name}: {e.Message}");
                return;
            }
            fresh++;
        }
        if (fresh > 0)
        {
            _done += fresh;
            // A consumer on this node has a local path with no host or port: count it under this node's address.
            var node = Sender.Path.Address.HasLocalScope ? _selfAddress : Sender.Path.Address;
            _perNode[node] = _perNode.GetValueOrDefault(node) + fresh;
        }
        if (results.Counters is { } counters)
            foreach (var (name, delta) in counters)
                _counters[name] = _counters.GetValueOrDefault(name) + delta;
        _changed = true;
        FinishIfComplete();
    }

    // With endsJob (fail-fast) the job fails for that reason, also when this was its last task: settling the job as
    // complete first would end it CompletedWithFailures.
    private void OnAbandoned(TaskFailure failure, string? endsJob)
    {
        if (_finished) return;
        if (!_settled.TryAdd(failure.TaskIndex))
        {
            if (endsJob is not null) Finish(JobState.Failed, endsJob);
            return;
        }
        if (failure.Message.Length > MaxErrorLength) failure = failure with { Message = string.Concat(failure.Message.AsSpan(0, MaxErrorLength), "…") };
        _failed++;
        // The failures kept for the result are logged as warnings; the rest only at debug, so a job whose every task fails does not flood the log.
        const string template = "Task {Index} of job {JobId} failed after {Attempts} attempts: {ErrorType}: {Message}";
        if (_failures.Count < _settings.FailuresKept)
        {
            _failures.Add(failure);
            _log.Warning(template, failure.TaskIndex, _jobId, failure.Attempts, failure.ErrorType, failure.Message);
        }
        else
        {
            _log.Debug(template, failure.TaskIndex, _jobId, failure.Attempts, failure.ErrorType, failure.Message);
        }
        _changed = true;
        if (endsJob is not null) Finish(JobState.Failed, endsJob);
        else FinishIfComplete();
    }

    private void FinishIfComplete()
    {
        if (_total is not { } total || _settled.Count < total) return;
        if (_failed == 0) Finish(JobState.Completed, null);
        else if (_done == 0) Finish(JobState.Failed, $"every task failed ({_failed:N0} of {total:N0}); the first failures are listed");
        else Finish(JobState.CompletedWithFailures, $"{_failed:N0} of {total:N0} tasks failed after their retries; their results are missing");
    }

    private void Finish(JobState state, string? reason)
    {
        if (_finished) return;
        _finished = true;
        Timers.Cancel(ProgressTimerKey);
        JobOutput output = new([], []);
        if (_reducer is not null)
        {
            try
            {
                output = _reducer.Complete();
            }
            catch (Exception e)
            {
                _log.Warning(e, "Completing the result of job {JobId} failed", _jobId);
                state = JobState.Failed;
                reason = $"completing the job's result failed: {e.GetType().Name}: {e.Message}";
            }
        }
        var elapsed = Stopwatch.GetElapsedTime(_started);
        var finished = new JobFinished(_jobId, state, output.Summary, output.Lines, _done, _failed, _total,
            [.. _failures], reason, elapsed);
        _manager.Tell(new CollectorFinished(finished, Progress()), Self);
    }

    private void AddWatcher(IActorRef watcher)
    {
        if (watcher.IsNobody()) return;
        // After the end the manager tells watchers the outcome; a late watch just gets the final counts.
        if (!_finished && _watchers.Add(watcher)) Context.Watch(watcher);
        watcher.Tell(Progress(), Self);
    }

    private void PublishProgress()
    {
        _rate.Sample(Stopwatch.GetTimestamp(), _done + _failed);
        if (!_changed || _finished) return;
        _changed = false;
        var progress = Progress();
        foreach (var watcher in _watchers) watcher.Tell(progress, Self);
        _manager.Tell(progress, Self);
    }

    private JobProgress Progress()
    {
        var rate = _rate.PerSecond;
        TimeSpan? eta = null;
        if (_total is { } total)
        {
            var left = total - _done - _failed;
            if (left <= 0) eta = TimeSpan.Zero;
            else if (rate > 0) eta = TimeSpan.FromSeconds(Math.Min(left / rate, TimeSpan.MaxValue.TotalSeconds / 2));
        }
        var perNode = _perNode.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value, StringComparer.Ordinal);
        return new JobProgress(_jobId, _done, _failed, _total, rate, eta, Stopwatch.GetElapsedTime(_started),
            perNode, new Dictionary<string, long>(_counters, StringComparer.Ordinal));
    }

    private sealed class ProgressTick : INoSerializationVerificationNeeded
    {
        public static readonly ProgressTick Instance = new();
    }
}

using System.Diagnostics;
using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Jobs;
using ActorTasks.Tasks.Jobs.Journal;
using Akka.Event;

namespace ActorTasks.Tasks.Collectors;

/// <summary>
/// Reduces a job's results as they arrive, counting each task exactly once however often its result is delivered
/// (dedup by task index), publishes progress to watchers at most every progress interval, and tells the job
/// manager when the job has ended: every task settled, or an <see cref="EndJob"/> (cancel, fail-fast, a failed split).
/// </summary>
/// <remarks>
/// Durable (a job journal is configured and the kind's reducer is an <see cref="IResumableReducer"/>), the collector
/// writes what arrives to the job's <see cref="TaskLedger"/> and counts it once it is written, so that a result counted
/// is a result the journal holds: after a restart of the seed the job resumes from there, and no counted task runs
/// again. It first restores what the journal holds and then tells the manager it is ready (<see cref="CollectorReady"/>),
/// with the tasks already settled. When the journal cannot be written the collector counts in memory, says so once,
/// and starts the ledger again with backoff; once back, the ledger gets a snapshot of everything counted meanwhile.
/// </remarks>
public sealed class Collector : ReceiveActor, IWithTimers
{
    private static readonly object ProgressTimerKey = "progress";
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    // The failures kept travel in the job's result: each error message is cut to this, so a hundred of them fit a message.
    private const int MaxErrorLength = 2000;

    private static readonly TimeSpan MinLedgerBackoff = TimeSpan.FromSeconds(1), MaxLedgerBackoff = TimeSpan.FromSeconds(10);

    private readonly string _jobId;
    private readonly IPreparedJob _job;
    private readonly TaskSystemSettings _settings;
    private readonly IActorRef _manager;
    private readonly ILoggingAdapter _log;
    private readonly SettledSet _settled = new();
    private readonly List<TaskFailure> _failures = [];
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _perNode = new(StringComparer.Ordinal);
    private readonly long _jobNumber;
    // Indexes written to the ledger and not counted yet, and what was written, in order, by write id.
    private readonly HashSet<long> _pendingIndexes = [];
    private readonly Queue<(long Id, TasksSettledEvent Event)> _pending = new();
    private IActorRef? _ledger;
    private bool _ledgerUp;
    private bool _ready;
    private bool _forgetting;
    private long _nextWrite;
    private int _ledgerIncarnation;
    private TimeSpan _ledgerBackoff = MinLedgerBackoff;
    private readonly HashSet<IActorRef> _watchers = [];
    private readonly RateMeter _rate = new(RateWindow);
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Address _selfAddress = ((ExtendedActorSystem)Context.System).Provider.DefaultAddress;
    private IJobReducer? _reducer;
    private long _done;
    private long _failed;
    private long? _total;
    // How far the split was handed out, the tasks handed out again in all, and those counted before this producer started.
    private long _handedOut;
    private long _runAgain;
    private long _runAgainBefore;
    private bool _changed = true;
    private bool _finished;

    /// <summary>Creates the collector of job <paramref name="jobId"/> (number <paramref name="jobNumber"/>), reporting to <paramref name="manager"/>.</summary>
    public Collector(string jobId, long jobNumber, IPreparedJob job, TaskSystemSettings settings, IActorRef manager)
    {
        _jobId = jobId;
        _jobNumber = jobNumber;
        _job = job;
        _settings = settings;
        _manager = manager;
        _log = Context.GetLogger();

        Receive<TaskResults>(OnResults);
        Receive<TaskAbandoned>(a => OnAbandoned(a.Failure, a.EndsJob));
        Receive<SplitFinished>(s => Submit(new TasksSettledEvent([], [], s.Total, NoCounts, NoCounts)));
        Receive<TasksHandedOut>(h =>
        {
            if (h.Through <= _handedOut && _runAgainBefore + h.Again <= _runAgain) return;
            _handedOut = Math.Max(_handedOut, h.Through);
            _runAgain = Math.Max(_runAgain, _runAgainBefore + h.Again);
            _changed = true;
            // Into the journal at once (merged with the results on their way there), so that after a crash the tasks
            // handed out meanwhile are known to have been.
            if (_ledgerUp) Submit(new TasksSettledEvent([], [], null, NoCounts, NoCounts));
        });
        Receive<EndJob>(e => Finish(e.State, e.Reason));
        Receive<WatchJob>(_ => AddWatcher(Sender));
        Receive<UnwatchJob>(_ =>
        {
            if (_watchers.Remove(Sender)) Context.Unwatch(Sender);
        });
        Receive<ProgressTick>(_ => PublishProgress());
        Receive<TasksRecovered>(OnRecovered);
        Receive<TasksStored>(stored =>
        {
            while (_pending.TryPeek(out var next) && next.Id <= stored.UpToId) Apply(_pending.Dequeue().Event);
        });
        Receive<SnapshotDue>(_ => _ledger?.Tell(new TakeSnapshot(Capture()), Self));
        Receive<ForgetJob>(_ =>
        {
            // The manager has recorded the job's end: its task ledger is no longer needed.
            if (_ledger is null) Context.Stop(Self);
            else
            {
                _forgetting = true;
                _ledger.Tell(ForgetTasks.Instance, Self);
            }
        });
        Receive<RestartLedger>(_ => StartLedger());
        Receive<Terminated>(t => t.ActorRef.Equals(_ledger), _ => OnLedgerStopped());
        Receive<Terminated>(t => _watchers.Remove(t.ActorRef));
    }

    private static readonly IReadOnlyDictionary<string, long> NoCounts = new Dictionary<string, long>();

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
        if (_settings.Durable && _reducer is IResumableReducer) StartLedger();
        else BecomeReady();
    }

    private void BecomeReady()
    {
        _ready = true;
        _runAgainBefore = _runAgain;
        Context.Parent.Tell(new CollectorReady(_jobId, _settled.Copy(), _handedOut), Self);
        var progress = Progress();
        foreach (var watcher in _watchers) watcher.Tell(progress, Self);
    }

    private void OnResults(TaskResults results)
    {
        if (_finished) return;
        var fresh = new List<StoredResult>();
        foreach (var s in results.Succeeded ?? [])
        {
            // A repeat (the task ran twice, or its result is on its way to the journal): the first result counts.
            if (_settled.Contains(s.Index) || !_pendingIndexes.Add(s.Index)) continue;
            fresh.Add(new StoredResult(s.Index, s.Result ?? []));
        }
        // A consumer on this node has a local path with no host or port: count it under this node's address.
        var node = (Sender.Path.Address.HasLocalScope ? _selfAddress : Sender.Path.Address).ToString();
        var perNode = fresh.Count == 0 ? NoCounts : new Dictionary<string, long> { [node] = fresh.Count };
        var counters = results.Counters is { Count: > 0 } c ? new Dictionary<string, long>(c, StringComparer.Ordinal) : NoCounts;
        if (fresh.Count > 0 || counters.Count > 0) Submit(new TasksSettledEvent(fresh, [], null, counters, perNode));
    }

    // With endsJob (fail-fast) the job fails for that reason at once, also when this was its last task: settling the
    // job as complete first would end it CompletedWithFailures.
    private void OnAbandoned(TaskFailure failure, string? endsJob)
    {
        if (_finished) return;
        if (failure.Message.Length > MaxErrorLength) failure = failure with { Message = string.Concat(failure.Message.AsSpan(0, MaxErrorLength), "…") };
        if (endsJob is not null)
        {
            Apply(new TasksSettledEvent([], [failure], null, NoCounts, NoCounts), finishIfComplete: false);
            Finish(JobState.Failed, endsJob);
            return;
        }
        if (_settled.Contains(failure.TaskIndex) || !_pendingIndexes.Add(failure.TaskIndex)) return;
        Submit(new TasksSettledEvent([], [failure], null, NoCounts, NoCounts));
    }

    // Counted at once in memory; durable, written to the job's ledger first and counted once it is written.
    private void Submit(TasksSettledEvent @event)
    {
        if (!_ledgerUp)
        {
            Apply(@event);
            return;
        }
        @event = @event with { HandedOut = _handedOut, RunAgain = _runAgain };
        var id = ++_nextWrite;
        _pending.Enqueue((id, @event));
        _ledger!.Tell(new StoreTasks(id, @event), Self);
    }

    private void Apply(TasksSettledEvent @event, bool finishIfComplete = true)
    {
        if (_finished) return;
        var fresh = 0L;
        foreach (var r in @event.Results)
        {
            _pendingIndexes.Remove(r.Index);
            if (!_settled.TryAdd(r.Index)) continue;
            try
            {
                _reducer!.Add(r.Index, r.Result);
            }
            catch (Exception e)
            {
                _log.Warning(e, "Reducing the result of task {Index} of job {JobId} failed", r.Index, _jobId);
                Finish(JobState.Failed, $"reducing the result of task {r.Index} failed: {e.GetType().Name}: {e.Message}");
                return;
            }
            fresh++;
        }
        _done += fresh;
        foreach (var failure in @event.GivenUp)
        {
            _pendingIndexes.Remove(failure.TaskIndex);
            if (_settled.TryAdd(failure.TaskIndex)) RecordFailure(failure);
        }
        if (@event.Total is { } total) _total = total;
        foreach (var (name, delta) in @event.Counters) _counters[name] = _counters.GetValueOrDefault(name) + delta;
        foreach (var (node, count) in @event.PerNode) _perNode[node] = _perNode.GetValueOrDefault(node) + count;
        _handedOut = Math.Max(_handedOut, @event.HandedOut);
        _runAgain = Math.Max(_runAgain, @event.RunAgain);
        _changed = true;
        if (finishIfComplete) FinishIfComplete();
    }

    private void RecordFailure(TaskFailure failure)
    {
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
    }

    private void StartLedger()
    {
        _ledger = Context.ActorOf(TaskLedger.Props(_jobNumber, _settings.SnapshotEvery), $"ledger-{++_ledgerIncarnation}");
        Context.Watch(_ledger);
    }

    // What the journal holds: the first time, the job's state to restore; after a restart of the ledger, stale (the
    // collector counted on in memory meanwhile), so the ledger gets a snapshot of the collector's state instead.
    private void OnRecovered(TasksRecovered recovered)
    {
        _ledgerUp = true;
        _ledgerBackoff = MinLedgerBackoff;
        if (_ready)
        {
            _log.Info("Job {JobId}: its journal can be written again; the results counted meanwhile are saved", _jobId);
            _ledger!.Tell(new TakeSnapshot(Capture()), Self);
            return;
        }
        try
        {
            if (recovered.Snapshot is { } snapshot) Restore(snapshot);
            foreach (var e in recovered.Events) Apply(e, finishIfComplete: false);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            _log.Error(e, "Job {JobId}: its journal cannot be restored; the job fails", _jobId);
            Finish(JobState.Failed, $"the job's journal cannot be restored: {e.Message}");
            return;
        }
        if (_done + _failed > 0) _log.Info("Job {JobId} resumes from its journal: {Done} tasks done, {Failed} failed", _jobId, _done, _failed);
        BecomeReady();
        FinishIfComplete();
    }

    private void OnLedgerStopped()
    {
        _ledger = null;
        if (_forgetting)
        {
            Context.Stop(Self);
            return;
        }
        var wasUp = _ledgerUp;
        _ledgerUp = false;
        // What was on its way to the journal is counted now, in memory.
        while (_pending.TryDequeue(out var next)) Apply(next.Event);
        if (!_ready)
            // Not read yet: starting now would run again every task the journal holds. The job waits for it.
            _log.Error("Job {JobId}: its journal cannot be read; the job waits for it and tries again in {Delay}", _jobId, _ledgerBackoff);
        else if (wasUp)
            _log.Error("Job {JobId}: its journal cannot be used; the job goes on, counting in memory (a restart of the seed would resume it from its last saved results), and tries the journal again in {Delay}",
                _jobId, _ledgerBackoff);
        if (_finished) return;
        Timers.StartSingleTimer(RestartLedger.Instance, RestartLedger.Instance, _ledgerBackoff);
        _ledgerBackoff = TimeSpan.FromTicks(Math.Min(_ledgerBackoff.Ticks * 2, MaxLedgerBackoff.Ticks));
    }

    private JobTasksState Capture() => new(_settled.Copy(), _done, _failed, _total, [.. _failures],
        new Dictionary<string, long>(_counters, StringComparer.Ordinal), new Dictionary<string, long>(_perNode, StringComparer.Ordinal),
        ((IResumableReducer)_reducer!).Save(), _handedOut, _runAgain);

    private void Restore(JobTasksState state)
    {
        ((IResumableReducer)_reducer!).Restore(state.Reducer);
        _settled.ReplaceWith(state.Settled);
        _done = state.Done;
        _failed = state.Failed;
        _total = state.Total;
        _failures.Clear();
        _failures.AddRange(state.Failures);
        foreach (var (name, value) in state.Counters) _counters[name] = value;
        foreach (var (node, value) in state.PerNode) _perNode[node] = value;
        _handedOut = state.HandedOut;
        _runAgain = state.RunAgain;
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
        // While the journal is read the counts are not known yet: the watcher hears them once they are.
        if (_ready || _finished) watcher.Tell(Progress(), Self);
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
        // The split's count once it has ended; before, the count the job knew up front, if any.
        if ((_total ?? _job.KnownTotal) is { } total)
        {
            var left = total - _done - _failed;
            if (left <= 0) eta = TimeSpan.Zero;
            else if (rate > 0) eta = TimeSpan.FromSeconds(Math.Min(left / rate, TimeSpan.MaxValue.TotalSeconds / 2));
        }
        var perNode = new Dictionary<string, long>(_perNode, StringComparer.Ordinal);
        return new JobProgress(_jobId, _done, _failed, _total ?? _job.KnownTotal, rate, eta, Stopwatch.GetElapsedTime(_started),
            perNode, new Dictionary<string, long>(_counters, StringComparer.Ordinal), _runAgain);
    }

    private sealed class ProgressTick : INoSerializationVerificationNeeded
    {
        public static readonly ProgressTick Instance = new();
    }

    private sealed class RestartLedger : INoSerializationVerificationNeeded
    {
        public static readonly RestartLedger Instance = new();
    }
}

using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.JobKinds;
using Akka.Event;

namespace ActorTasks.Tasks.Consumers;

/// <summary>
/// Runs tasks, one at a time, for every job the job manager announces: pulls them from each job's producer
/// (asking for as many as its window allows), runs them off the actor's thread with the job's cancellation
/// token, acquires the resources a job kind declares before each task, and sends results back in batches.
/// </summary>
/// <remarks>
/// The actor never waits: a run of tasks is a <see cref="Task"/> piped back to it as a message, so it keeps
/// handling <see cref="JobEnded"/> (which cancels the running task's token) while tasks run. A task that ignores
/// its token keeps the consumer busy until it returns; the consumer starts nothing else meanwhile.
/// </remarks>
public sealed class Consumer : ReceiveActor, IWithTimers
{
    private static readonly object RegisterTimerKey = "register";
    private static readonly TimeSpan RegisterRetry = TimeSpan.FromSeconds(2);

    private readonly IActorRef _jobManager;
    private IActorRef? _registeredWith;
    private readonly IActorRef? _resourceManager;
    private readonly JobKindRegistry _registry;
    private readonly TaskSystemSettings _settings;
    private readonly ILoggingAdapter _log;
    // Keyed by job and producer: a job started again (after a failover, from the journal) has a new producer, and its
    // tasks must go to that one, not to the producer of the first start.
    private readonly Dictionary<(string JobId, IActorRef Producer), JobSlot> _jobs = [];
    private long _heldReported;
    private readonly List<JobSlot> _turns = [];
    private int _nextTurn;
    private Work? _current;
    private long _lastRequestId;

    /// <summary>Creates a consumer that registers with <paramref name="jobManager"/>; <paramref name="resourceManager"/> may be null when no job kind needs resources.</summary>
    public Consumer(IActorRef jobManager, IActorRef? resourceManager, JobKindRegistry registry, TaskSystemSettings settings)
    {
        _jobManager = jobManager;
        _resourceManager = resourceManager;
        _registry = registry;
        _settings = settings;
        _log = Context.GetLogger();

        Receive<ConsumerRegistered>(_ =>
        {
            Timers.Cancel(RegisterTimerKey);
            // The answer comes from the manager itself, which _jobManager may only lead to (a cluster singleton's
            // proxy never dies); if that manager goes (its node dies, or the singleton moves), register again
            // through _jobManager until a manager answers.
            if (_registeredWith is { } previous && !previous.Equals(Sender)) Context.Unwatch(previous);
            _registeredWith = Sender.IsNobody() ? _jobManager : Sender;
            Context.Watch(_registeredWith);
        });
        Receive<RegisterTick>(_ => _jobManager.Tell(new RegisterConsumer(Self), Self));
        Receive<JobStarted>(OnJobStarted);
        Receive<WorkAssigned>(OnWorkAssigned);
        Receive<ChunkDone>(OnChunkDone);
        Receive<ReturnWork>(r =>
        {
            // Only queued tasks go back: the running ones finish here. An unknown job has nothing to give.
            var returned = _jobs.TryGetValue((r.JobId, Sender), out var slot) ? slot.Queue.TakeBack(r.MaxTasks) : [];
            Sender.Tell(new WorkReturned(r.JobId, [.. returned.Select(t => t.Index)]), Self);
        });
        Receive<Granted>(OnGranted);
        Receive<AcquireTimedOut>(t => OnAcquireFailed(t.RequestId,
            $"timed out after {t.Waited} waiting for {t.Permits} permit{(t.Permits == 1 ? "" : "s")} of resource '{t.Name}'"));
        Receive<AcquireRejected>(r => OnAcquireFailed(r.RequestId, $"resource '{r.Name}' refused the request: {r.Reason}"));
        Receive<JobEnded>(e =>
        {
            foreach (var slot in _jobs.Values.Where(s => s.JobId == e.JobId).ToList()) Drop(slot);
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_registeredWith), t =>
        {
            _log.Warning("the job manager {JobManager} is gone; registering again until one answers", t.ActorRef.Path);
            _registeredWith = null;
            Timers.StartPeriodicTimer(RegisterTimerKey, RegisterTick.Instance, RegisterRetry);
        });
        Receive<Terminated>(t =>
        {
            // The producer is gone (its job ended, or its node did): nothing more will come for those jobs.
            foreach (var slot in _jobs.Values.Where(s => s.Producer.Equals(t.ActorRef)).ToList()) Drop(slot);
        });
    }

    /// <summary>Set by the runtime: this actor's timers.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for a consumer.</summary>
    public static Props Props(IActorRef jobManager, IActorRef? resourceManager, JobKindRegistry registry, TaskSystemSettings settings)
    {
        ArgumentNullException.ThrowIfNull(jobManager);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(settings);
        return Akka.Actor.Props.Create(() => new Consumer(jobManager, resourceManager, registry, settings));
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        // Registration is repeated until the manager confirms it, in case the manager was not up yet.
        _jobManager.Tell(new RegisterConsumer(Self), Self);
        Timers.StartPeriodicTimer(RegisterTimerKey, RegisterTick.Instance, RegisterRetry);
    }

    /// <inheritdoc />
    protected override bool AroundReceive(Receive receive, object message)
    {
        var handled = base.AroundReceive(receive, message);
        ReportHeld();
        return handled;
    }

    // The tasks this consumer holds (queued in its window or running) as a metric: only the change since the last report.
    private void ReportHeld()
    {
        long held = 0;
        foreach (var slot in _jobs.Values) held += slot.Queue.Count + slot.Running;
        if (held == _heldReported) return;
        TaskMetrics.TasksHeld.Add(held - _heldReported);
        _heldReported = held;
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        TaskMetrics.TasksHeld.Add(-_heldReported);
        foreach (var slot in _jobs.Values) slot.Cancel.Cancel();
        if (_current is { } work) ReleaseLeases(work);
    }

    private void OnJobStarted(JobStarted started)
    {
        if (_jobs.ContainsKey((started.JobId, started.Producer))) return;
        if (!_registry.TryGet(started.Kind, out var kind))
        {
            _log.Warning("Job {JobId} is of kind {Kind}, which this node does not know; this consumer does not take part", started.JobId, DisplayText.Escape(started.Kind));
            Decline(started, $"the job kind '{started.Kind}' is not loaded there");
            return;
        }
        IPreparedJob prepared;
        try
        {
            prepared = kind.Prepare(started.Arguments ?? []);
        }
        catch (Exception e)
        {
            _log.Warning(e, "Job {JobId} ({Kind}) cannot be prepared on this node; this consumer does not take part", started.JobId, DisplayText.Escape(started.Kind));
            Decline(started, e is JobArgumentException ? e.Message : $"{e.GetType().Name}: {e.Message}");
            return;
        }
        var resources = prepared.ResourcesPerTask
            .Where(r => r.Value > 0)
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new TaskResource(r.Key, r.Value))
            .ToArray();
        var slot = new JobSlot(started.JobId, started.Producer, prepared, resources) { Kind = started.Kind };
        _jobs.Add((slot.JobId, slot.Producer), slot);
        _turns.Add(slot);
        Context.Watch(slot.Producer);
        slot.Producer.Tell(new RequestWork(slot.JobId, slot.Window(_settings)), Self);
    }

    // The job manager that announced the job hears why, so that a job nobody can run fails instead of waiting.
    private void Decline(JobStarted started, string reason) =>
        Sender.Tell(new JobDeclined(started.JobId, ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString(), reason), Self);

    private void OnWorkAssigned(WorkAssigned assigned)
    {
        if (!_jobs.TryGetValue((assigned.JobId, Sender), out var slot)) return;
        slot.Queue.EnqueueRange(assigned.Tasks ?? []);
        RunNext();
    }

    private void RunNext()
    {
        if (_current is not null || _turns.Count == 0) return;
        // Jobs take turns, one run of tasks each.
        for (var i = 0; i < _turns.Count; i++)
        {
            var slot = _turns[(_nextTurn + i) % _turns.Count];
            if (slot.Queue.Count == 0) continue;
            _nextTurn = (_nextTurn + i + 1) % _turns.Count;
            var work = new Work(slot, slot.Queue.Dequeue(slot.ChunkSize(_settings)));
            slot.Running = work.Items.Length;
            _current = work;
            if (slot.HasResources) StartAcquiring(work);
            else Run(work);
            return;
        }
    }

    private void Run(Work work)
    {
        work.Running = true;
        var job = work.Slot.Job;
        var items = work.Items;
        var token = work.Slot.Cancel.Token;
        var budget = _settings.ResultBatchTime;
        var kind = work.Slot.Kind;
        Task.Run(() => TaskRunner.RunAsync(job, items, token, budget, kind))
            .PipeTo(Self, Self,
                success: result => new ChunkDone(work, result),
                failure: e => new ChunkDone(work, AllFailed(items, e)));
    }

    private void OnChunkDone(ChunkDone done)
    {
        var work = done.Work;
        if (!ReferenceEquals(work, _current)) return;
        _current = null;
        ReleaseLeases(work);
        var slot = work.Slot;
        TaskMetrics.BusySeconds.Add(done.Result.Elapsed.TotalSeconds);
        slot.Running = 0;
        if (!slot.Dropped)
        {
            var result = done.Result;
            if (result.Processed < work.Items.Length) slot.Queue.PushFront(work.Items.AsSpan(result.Processed));
            if (!result.Cancelled) slot.RecordTaskTime(result.Elapsed, result.Processed);
            SendResults(slot, result.Succeeded, result.Failed, result.Counters);
        }
        RunNext();
    }

    private void SendResults(JobSlot slot, TaskSucceeded[] succeeded, TaskFailed[] failed, Dictionary<string, long>? counters)
    {
        var (batches, allFailed) = ResultBatches.Split(succeeded, failed, _settings.MaxResultBytes);
        var window = slot.Window(_settings);
        for (var i = 0; i < batches.Count - 1; i++)
            slot.Producer.Tell(new TaskResults(slot.JobId, batches[i], [], null, window), Self);
        slot.Producer.Tell(new TaskResults(slot.JobId, batches[^1], allFailed, counters, window), Self);
    }

    private void StartAcquiring(Work work)
    {
        try
        {
            // Tasks that acquire run one at a time (JobSlot.ChunkSize), so the run's one task decides.
            work.Needs = work.Slot.ResourcesFor(work.Items[0]);
        }
        catch (Exception e)
        {
            _log.Warning(e, "Job {JobId}: the resources of task {Index} could not be worked out", work.Slot.JobId, work.Items[0].Index);
            FailWaiting(work, [.. work.Items.Select(i => TaskRunner.Failure(i, e))]);
            return;
        }
        AcquireNext(work);
    }

    private void AcquireNext(Work work)
    {
        if (work.NextResource == work.Needs.Length)
        {
            Run(work);
            return;
        }
        var need = work.Needs[work.NextResource];
        if (_resourceManager is null)
        {
            FailAcquiring(work, $"job kind needs {need.Permits} permit{(need.Permits == 1 ? "" : "s")} of resource '{need.Name}', but this node has no resource manager");
            return;
        }
        work.RequestId = ++_lastRequestId;
        _resourceManager.Tell(new Acquire(need.Name, need.Permits, need.Wait ?? _settings.ResourceAcquireTimeout, work.RequestId, need.CreatePermits), Self);
    }

    private void OnGranted(Granted granted)
    {
        if (_current is { Running: false } work && work.RequestId == granted.RequestId)
        {
            work.Leases.Add(granted.LeaseId);
            work.NextResource++;
            AcquireNext(work);
            return;
        }
        // A grant for a task that was dropped meanwhile: give it straight back.
        _resourceManager?.Tell(new Release(granted.LeaseId), Self);
    }

    private void OnAcquireFailed(long requestId, string reason)
    {
        if (_current is { Running: false } work && work.RequestId == requestId) FailAcquiring(work, reason);
    }

    private void FailAcquiring(Work work, string reason) =>
        FailWaiting(work, [.. work.Items.Select(i => new TaskFailed(i.Index, i.Attempt, ResourceUnavailableError, reason))]);

    // The run never started: its tasks fail with what kept them from running, and the next run may start.
    private void FailWaiting(Work work, TaskFailed[] failed)
    {
        _current = null;
        ReleaseLeases(work);
        var slot = work.Slot;
        slot.Running = 0;
        if (!slot.Dropped) SendResults(slot, [], failed, null);
        RunNext();
    }

    private void ReleaseLeases(Work work)
    {
        foreach (var lease in work.Leases) _resourceManager?.Tell(new Release(lease), Self);
        work.Leases.Clear();
    }

    private void Drop(JobSlot slot)
    {
        slot.Dropped = true;
        slot.Cancel.Cancel();
        slot.Queue.Clear();
        _jobs.Remove((slot.JobId, slot.Producer));
        _turns.Remove(slot);
        if (_turns.Count > 0) _nextTurn %= _turns.Count;
        else _nextTurn = 0;
        if (!_jobs.Values.Any(s => s.Producer.Equals(slot.Producer))) Context.Unwatch(slot.Producer);
        // A task still waiting for resources is abandoned now; a running one is waited for (it has its token).
        if (_current is { Running: false } work && ReferenceEquals(work.Slot, slot))
        {
            _current = null;
            // Out of the resource's queue, so the permits go to someone who still wants them.
            if (work.RequestId != 0) _resourceManager?.Tell(new CancelAcquire(work.RequestId), Self);
            ReleaseLeases(work);
            RunNext();
        }
    }

    private static ChunkResult AllFailed(WorkItem[] items, Exception e) =>
        new(items.Length, [], [.. items.Select(i => TaskRunner.Failure(i, e))],
            null, TimeSpan.Zero, Cancelled: false);

    /// <summary>The error type of a task attempt that could not get the resources its job kind declares.</summary>
    public const string ResourceUnavailableError = "ActorTasks.ResourceUnavailable";

    /// <summary>The error type of a task whose result is larger than <see cref="TaskSystemSettings.MaxResultBytes"/>.</summary>
    public const string ResultTooLargeError = "ActorTasks.ResultTooLarge";

    /// <summary>One run of tasks: the tasks, and the leases taken for them.</summary>
    private sealed class Work(JobSlot slot, WorkItem[] items)
    {
        public JobSlot Slot { get; } = slot;

        public WorkItem[] Items { get; } = items;

        public List<long> Leases { get; } = [];

        /// <summary>The resources to acquire before the run starts, in the order they are acquired.</summary>
        public TaskResource[] Needs { get; set; } = [];

        public int NextResource { get; set; }

        public long RequestId { get; set; }

        public bool Running { get; set; }
    }

    private sealed record ChunkDone(Work Work, ChunkResult Result) : INoSerializationVerificationNeeded;

    private sealed class RegisterTick : INoSerializationVerificationNeeded
    {
        public static readonly RegisterTick Instance = new();
    }
}

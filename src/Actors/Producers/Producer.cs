using System.Diagnostics;
using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Jobs;
using Akka.Event;

namespace ActorTasks.Tasks.Producers;

/// <summary>
/// Hands a job's tasks to consumers as they ask (work pulling), splitting the job lazily; takes back the tasks
/// of consumers that die, and retries failed tasks with exponential backoff up to the job's limit.
/// </summary>
/// <remarks>
/// Memory: a task is pulled from the split only to meet a consumer's demand, and never while retries are waiting
/// for that demand, so tasks pulled but not settled stay within the consumers' windows (each capped at
/// <see cref="TaskSystemSettings.Prefetch"/>). Results pass through here on their way to the collector: one
/// message from a consumer carries its results and its next request, and settles its in-flight tasks.
/// </remarks>
public sealed class Producer : ReceiveActor, IWithTimers
{
    private static readonly object RetryTimerKey = "retry";

    private readonly string _jobId;
    private readonly IPreparedJob _job;
    private readonly int _maxRetries;
    private readonly bool _failFast;
    private readonly TaskSystemSettings _settings;
    private readonly IActorRef _collector;
    private readonly Func<long, bool>? _settled;
    private readonly long _handedOutBefore;
    private readonly ILoggingAdapter _log;
    private readonly CancellationTokenSource _splitCancel = new();
    private readonly Dictionary<IActorRef, ConsumerLoad> _consumers = [];
    private readonly Queue<IActorRef> _hungry = new();
    private readonly Queue<WorkItem> _pending = new();
    private readonly PriorityQueue<WorkItem, long> _waiting = new();
    // Consumers asked for tasks back (ReturnWork) that have not answered yet: one question at a time each.
    private readonly HashSet<IActorRef> _askedToReturn = [];
    private IEnumerator<ReadOnlyMemory<byte>>? _split;
    private long _nextIndex;
    private bool _exhausted;
    private bool _ended;
    private bool _claimed;
    private long _demandTotal;
    private long _retryTimerDue = long.MaxValue;
    // Tasks handed out again (a dead consumer's, or handed out before a restart), and what the collector was last told.
    private long _runAgain;
    private readonly HashSet<long> _heldByDead = [];
    private (long Through, long Again) _reported;

    /// <summary>Creates the producer of job <paramref name="jobId"/>; results and task failures go to <paramref name="collector"/>.</summary>
    public Producer(string jobId, IPreparedJob job, int maxRetries, bool failFast, TaskSystemSettings settings, IActorRef collector)
        : this(jobId, job, maxRetries, failFast, settings, collector, null, 0)
    {
    }

    /// <summary>
    /// Creates the producer of a job resumed from its journal: tasks for which <paramref name="settled"/> is true were
    /// settled before and are never handed out again; the others below <paramref name="handedOutBefore"/> were handed out
    /// before the restart and count as handed out again.
    /// </summary>
    public Producer(string jobId, IPreparedJob job, int maxRetries, bool failFast, TaskSystemSettings settings, IActorRef collector,
        Func<long, bool>? settled, long handedOutBefore)
    {
        _settled = settled;
        _handedOutBefore = handedOutBefore;
        _jobId = jobId;
        _job = job;
        _maxRetries = maxRetries;
        _failFast = failFast;
        _settings = settings;
        _collector = collector;
        _log = Context.GetLogger();

        Receive<RequestWork>(r => r.JobId == _jobId, r =>
        {
            SetWindow(Sender, r.Window);
            Serve();
        });
        Receive<TaskResults>(r => r.JobId == _jobId, OnResults);
        Receive<WorkReturned>(r => r.JobId == _jobId, OnWorkReturned);
        Receive<RetryDue>(_ =>
        {
            _retryTimerDue = long.MaxValue;
            MoveDueRetries();
            Serve();
        });
        Receive<Terminated>(OnConsumerTerminated);
    }

    /// <summary>Set by the runtime: this actor's timers.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <inheritdoc />
    protected override void PreStart()
    {
        try
        {
            _split = _job.Split(_splitCancel.Token).GetEnumerator();
        }
        catch (Exception e)
        {
            FailSplit(e);
        }
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _splitCancel.Cancel();
        DisposeSplit();
        _splitCancel.Dispose();
    }

    private void SetWindow(IActorRef consumer, int window)
    {
        if (consumer.IsNobody()) return;
        if (!_consumers.TryGetValue(consumer, out var load))
        {
            if (window <= 0) return;
            load = new ConsumerLoad();
            _consumers.Add(consumer, load);
            Context.Watch(consumer);
            if (!_claimed)
            {
                _claimed = true;
                Context.Parent.Tell(new JobClaimed(_jobId), Self);
            }
        }
        // The seed's own prefetch caps every consumer's window, whatever the consumer asks for; tasks on their
        // way to the consumer count as held, so a request crossing a batch never gets that batch twice.
        var demand = Math.Max(0, Math.Min(window, _settings.Prefetch) - load.InFlight.Count);
        if (demand > 0 && !load.Queued)
        {
            load.Queued = true;
            _hungry.Enqueue(consumer);
        }
        _demandTotal += demand - load.Demand;
        load.Demand = demand;
    }

    private void Serve()
    {
        while (!_ended && _hungry.TryPeek(out var consumer))
        {
            if (!_consumers.TryGetValue(consumer, out var load) || load.Demand == 0)
            {
                _hungry.Dequeue();
                if (load is not null) load.Queued = false;
                continue;
            }
            var batch = TakeBatch(load.Demand);
            if (batch is null)
            {
                // Nothing to hand out until results, retries or a dead consumer's tasks come back, or another
                // consumer gives back tasks it has not started.
                AskForUnstartedWork(consumer);
                return;
            }
            _hungry.Dequeue();
            load.Demand -= batch.Length;
            _demandTotal -= batch.Length;
            foreach (var item in batch) load.InFlight[item.Index] = item;
            consumer.Tell(new WorkAssigned(_jobId, batch), Self);
            if (load.Demand > 0) _hungry.Enqueue(consumer);
            else load.Queued = false;
        }
        if (_reported != (_nextIndex, _runAgain))
        {
            _reported = (_nextIndex, _runAgain);
            _collector.Tell(new TasksHandedOut(_nextIndex, _runAgain), Self);
        }
    }

    private WorkItem[]? TakeBatch(int demand)
    {
        // New tasks only for demand that waiting retries will not need, so that pulled-but-unsettled
        // tasks never exceed the consumers' windows.
        var pullable = _exhausted ? 0 : Math.Max(0, _demandTotal - _pending.Count - _waiting.Count);
        var size = (int)Math.Min(demand, _pending.Count + pullable);
        if (size == 0) return null;
        // Capped by bytes as well as by count: a message larger than the remote frame would be dropped on the way.
        var batch = new WorkItem[size];
        var n = 0;
        long bytes = 0;
        while (n < size && _pending.TryPeek(out var retry) && Fits(retry))
        {
            batch[n++] = _pending.Dequeue();
            if (_heldByDead.Remove(retry.Index)) _runAgain++;
        }
        while (n < size && _pending.Count == 0 && TryPull(out var fresh))
        {
            if (fresh.Payload.Length > _settings.MaxResultBytes)
            {
                Abandon(fresh, TaskTooLargeError, $"the task is {fresh.Payload.Length:N0} bytes, more than a message to a consumer may carry (actortasks.tasks.max-result-bytes, {_settings.MaxResultBytes:N0})");
                continue;
            }
            if (!Fits(fresh))
            {
                _pending.Enqueue(fresh); // first in the next batch
                break;
            }
            batch[n++] = fresh;
        }
        if (n == 0) return null;
        if (n < size) Array.Resize(ref batch, n);
        return batch;

        bool Fits(WorkItem item)
        {
            if (n > 0 && bytes + item.Payload.Length > _settings.MaxResultBytes) return false;
            bytes += item.Payload.Length;
            return true;
        }
    }

    /// <summary>The error type of a task whose payload is too large to be sent to a consumer.</summary>
    public const string TaskTooLargeError = "ActorTasks.TaskTooLarge";

    private void Abandon(WorkItem item, string errorType, string message)
    {
        var failure = new TaskFailure(item.Index, item.Attempt, errorType, message);
        if (!_failFast)
        {
            _collector.Tell(new TaskAbandoned(failure), Self);
            return;
        }
        // One message, so that the failure is recorded and the job fails even when this was its last task.
        var attempts = $"{item.Attempt} attempt{(item.Attempt == 1 ? "" : "s")}";
        _collector.Tell(new TaskAbandoned(failure, $"task {item.Index} failed after {attempts} ({errorType}: {message}) and the job is fail-fast"), Self);
        Stop();
    }

    private bool TryPull(out WorkItem item)
    {
        item = default;
        while (!_exhausted && _split is not null)
        {
            bool moved;
            try
            {
                moved = _split.MoveNext();
            }
            catch (Exception e)
            {
                FailSplit(e);
                return false;
            }
            if (!moved)
            {
                _exhausted = true;
                DisposeSplit();
                _collector.Tell(new SplitFinished(_nextIndex), Self);
                return false;
            }
            var index = _nextIndex++;
            // Settled before a restart: the journal holds its result, so the split's next task is tried instead.
            if (_settled is not null && _settled(index)) continue;
            if (index < _handedOutBefore) _runAgain++;
            item = new WorkItem(index, Payloads.ToArray(_split.Current), 1);
            return true;
        }
        return false;
    }

    private void OnResults(TaskResults results)
    {
        var consumer = Sender;
        _consumers.TryGetValue(consumer, out var load);
        var succeeded = results.Succeeded ?? [];
        var failed = results.Failed ?? [];
        if (!AllIndexesKnown(succeeded, failed))
        {
            _log.Warning("Results for job {JobId} from {Consumer} name tasks that were never handed out; dropping those", _jobId, consumer.Path);
            succeeded = [.. succeeded.Where(s => IsKnown(s.Index))];
            failed = [.. failed.Where(f => IsKnown(f.Index))];
            results = results with { Succeeded = succeeded, Failed = failed };
        }
        if (load is not null)
        {
            foreach (var s in succeeded) load.InFlight.Remove(s.Index);
            load.HadNothingToReturn = false;
        }

        // Results from a consumer believed dead still count: the collector keeps the first result per task.
        if (succeeded.Length > 0 || results.Counters is { Count: > 0 })
            _collector.Tell(results, consumer);

        foreach (var f in failed)
        {
            // A failure of a task no longer in flight here (its consumer was given up on) is moot: it was requeued.
            if (load is not null && load.InFlight.Remove(f.Index, out var item))
                OnTaskFailed(item, f);
        }
        SetWindow(consumer, results.Window);
        Serve();
    }

    // Work stealing for the end of a job: with nothing left to pull or retry, a consumer waiting for work would
    // otherwise idle while another works through a full window alone. The consumer holding the most is asked for
    // half of what it holds beyond the idle one; it gives back only tasks it has not started, so none runs twice.
    private void AskForUnstartedWork(IActorRef idle)
    {
        if (!_exhausted || _ended || _pending.Count > 0 || _waiting.Count > 0) return;
        var held = _consumers.TryGetValue(idle, out var idleLoad) ? idleLoad.InFlight.Count : 0;
        IActorRef? holder = null;
        var most = 0;
        foreach (var (consumer, load) in _consumers)
        {
            if (consumer.Equals(idle) || load.HadNothingToReturn || _askedToReturn.Contains(consumer)) continue;
            if (load.InFlight.Count > most)
            {
                holder = consumer;
                most = load.InFlight.Count;
            }
        }
        // Ask for half the difference, so the two end up holding about the same.
        var wanted = (most - held) / 2;
        if (holder is null || wanted < 1) return;
        _askedToReturn.Add(holder);
        holder.Tell(new ReturnWork(_jobId, wanted), Self);
    }

    private void OnWorkReturned(WorkReturned returned)
    {
        var consumer = Sender;
        _askedToReturn.Remove(consumer);
        if (!_consumers.TryGetValue(consumer, out var load)) return;
        var given = 0;
        foreach (var index in (returned.Indexes ?? []).Order())
        {
            if (!load.InFlight.Remove(index, out var item)) continue;
            _pending.Enqueue(item);
            given++;
        }
        // Not asked again until it reports results: until then it holds the same running tasks.
        if (given == 0) load.HadNothingToReturn = true;
        Serve();
    }

    private void OnTaskFailed(WorkItem item, TaskFailed failure)
    {
        if (_ended) return;
        // Bad input, a 404 and the like fail the same way every time: they are recorded at once.
        if (item.Attempt <= _maxRetries && !failure.Permanent)
        {
            var next = item with { Attempt = item.Attempt + 1 };
            var due = Stopwatch.GetTimestamp() + (long)(_settings.RetryDelay(next.Attempt).TotalSeconds * Stopwatch.Frequency);
            _waiting.Enqueue(next, due);
            _log.Debug("Task {Index} of job {JobId} failed on attempt {Attempt} ({ErrorType}: {Message}); retrying",
                item.Index, _jobId, item.Attempt, failure.ErrorType, failure.Message);
            ScheduleRetryTimer();
            return;
        }
        Abandon(item, failure.ErrorType, failure.Message);
    }

    private void ScheduleRetryTimer()
    {
        if (!_waiting.TryPeek(out _, out var due) || due >= _retryTimerDue) return;
        _retryTimerDue = due;
        var delay = TimeSpan.FromSeconds(Math.Max(0, due - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
        Timers.StartSingleTimer(RetryTimerKey, RetryDue.Instance, delay);
    }

    private void MoveDueRetries()
    {
        var now = Stopwatch.GetTimestamp();
        while (_waiting.TryPeek(out var item, out var due) && due <= now)
        {
            _waiting.Dequeue();
            _pending.Enqueue(item);
        }
        ScheduleRetryTimer();
    }

    private void OnConsumerTerminated(Terminated terminated)
    {
        _askedToReturn.Remove(terminated.ActorRef);
        if (!_consumers.Remove(terminated.ActorRef, out var load)) return;
        _demandTotal -= load.Demand;
        if (load.InFlight.Count > 0)
        {
            _log.Info("Consumer {Consumer} stopped holding {Count} tasks of job {JobId}; they go back to the queue",
                terminated.ActorRef.Path, load.InFlight.Count, _jobId);
            foreach (var item in load.InFlight.Values.OrderBy(i => i.Index))
            {
                _pending.Enqueue(item);
                _heldByDead.Add(item.Index);
            }
        }
        Serve();
    }

    private void FailSplit(Exception e)
    {
        _log.Warning(e, "Splitting job {JobId} failed", _jobId);
        End(JobState.Failed, $"splitting the job failed after {_nextIndex} tasks: {e.GetType().Name}: {e.Message}");
    }

    private void End(JobState state, string reason)
    {
        if (_ended) return;
        Stop();
        _collector.Tell(new EndJob(state, reason), Self);
    }

    // No more tasks go out; what consumers still send back is dropped.
    private void Stop()
    {
        _ended = true;
        _exhausted = true;
        DisposeSplit();
    }

    private void DisposeSplit()
    {
        var split = _split;
        _split = null;
        try
        {
            split?.Dispose();
        }
        catch (Exception e)
        {
            _log.Warning(e, "Disposing the split of job {JobId} failed", _jobId);
        }
    }

    private bool AllIndexesKnown(TaskSucceeded[] succeeded, TaskFailed[] failed)
    {
        foreach (var s in succeeded)
            if (!IsKnown(s.Index)) return false;
        foreach (var f in failed)
            if (!IsKnown(f.Index)) return false;
        return true;
    }

    private bool IsKnown(long index) => index >= 0 && index < _nextIndex;

    private sealed class ConsumerLoad
    {
        public readonly Dictionary<long, WorkItem> InFlight = [];
        public int Demand;
        public bool Queued;
        public bool HadNothingToReturn;
    }

    private sealed class RetryDue : INoSerializationVerificationNeeded
    {
        public static readonly RetryDue Instance = new();
    }
}

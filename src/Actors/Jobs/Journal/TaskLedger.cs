using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace ActorTasks.Tasks.Jobs.Journal;

/// <summary>Task ledger → collector: what the journal held for the job when the ledger started (a snapshot, then later events).</summary>
internal sealed record TasksRecovered(JobTasksState? Snapshot, IReadOnlyList<TasksSettledEvent> Events) : INoSerializationVerificationNeeded;

/// <summary>Collector → task ledger: write what was counted; <see cref="TasksStored"/> with <paramref name="Id"/> once it is in the journal.</summary>
internal sealed record StoreTasks(long Id, TasksSettledEvent Event) : INoSerializationVerificationNeeded;

/// <summary>Task ledger → collector: every <see cref="StoreTasks"/> up to this id is in the journal.</summary>
internal sealed record TasksStored(long UpToId) : INoSerializationVerificationNeeded;

/// <summary>Task ledger → collector: send the job's state as of <see cref="TasksStored"/> <paramref name="UpToId"/>; no write goes out meanwhile.</summary>
internal sealed record SnapshotDue(long UpToId) : INoSerializationVerificationNeeded;

/// <summary>Collector → task ledger: the job's state, covering every event written so far.</summary>
internal sealed record TakeSnapshot(JobTasksState State) : INoSerializationVerificationNeeded;

/// <summary>Collector → task ledger: the job has ended and is recorded as such: delete its events and snapshots, then stop.</summary>
internal sealed record ForgetTasks : INoSerializationVerificationNeeded
{
    public static readonly ForgetTasks Instance = new();
}

/// <summary>
/// One job's journal of settled tasks (persistence id <c>actortasks-job-N</c>): what the collector counted, written in
/// group commits — whatever arrives while a write is in flight goes out as one event after it — with a snapshot of the
/// collector's state (its reducer's saved state among it) every <paramref name="snapshotEvery"/> events.
/// </summary>
/// <remarks>
/// A snapshot must cover exactly the events written before it: when one is due the ledger holds further writes, asks the
/// collector for its state (which counts every stored event, since the collector counts on <see cref="TasksStored"/>),
/// saves it, then writes on. A ledger that cannot write is stopped by Akka.Persistence; its collector goes on counting
/// in memory and starts it again with backoff.
/// </remarks>
internal sealed class TaskLedger : ReceivePersistentActor
{
    private readonly string _persistenceId;
    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<TasksSettledEvent> _replayed = [];
    private readonly List<StoreTasks> _queue = [];
    private JobTasksState? _snapshot;
    private bool _writing;
    private bool _snapshotDue;
    private bool _forgetting;
    private int _sinceSnapshot;

    public TaskLedger(long jobNumber, int snapshotEvery)
    {
        _persistenceId = PersistenceIdOf(jobNumber);
        _snapshotEvery = Math.Max(1, snapshotEvery);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is JobTasksState state) _snapshot = state;
        });
        Recover<TasksSettledEvent>(e => _replayed.Add(e));
        Recover<RecoveryCompleted>(_ =>
        {
            Context.Parent.Tell(new TasksRecovered(_snapshot, [.. _replayed]));
            _snapshot = null;
            _replayed.Clear();
        });

        Command<StoreTasks>(store =>
        {
            _queue.Add(store);
            WriteQueued();
        });
        Command<TakeSnapshot>(take =>
        {
            // Nothing is in flight here: the snapshot covers every event written.
            _snapshotDue = false;
            _sinceSnapshot = 0;
            SaveSnapshot(take.State);
            WriteQueued();
        });
        Command<ForgetTasks>(_ =>
        {
            _forgetting = true;
            DeleteMessages(long.MaxValue);
            DeleteSnapshots(SnapshotSelectionCriteria.Latest);
        });
        Command<SaveSnapshotSuccess>(saved =>
        {
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(failed => _log.Warning(failed.Cause, "{Id}: a snapshot could not be saved; the events stay until the next one", _persistenceId));
        Command<DeleteMessagesSuccess>(_ =>
        {
            if (_forgetting) Context.Stop(Self);
        });
        Command<DeleteMessagesFailure>(failed =>
        {
            _log.Warning(failed.Cause, "{Id}: events could not be deleted", _persistenceId);
            if (_forgetting) Context.Stop(Self);
        });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => _log.Warning(failed.Cause, "{Id}: snapshots could not be deleted", _persistenceId));
    }

    public override string PersistenceId => _persistenceId;

    public static string PersistenceIdOf(long jobNumber) => $"actortasks-job-{jobNumber}";

    public static Props Props(long jobNumber, int snapshotEvery) => Akka.Actor.Props.Create(() => new TaskLedger(jobNumber, snapshotEvery));

    private void WriteQueued()
    {
        if (_writing || _snapshotDue || _queue.Count == 0) return;
        var upTo = _queue[^1].Id;
        var merged = Merge(_queue);
        _queue.Clear();
        _writing = true;
        PersistAsync(merged, _ =>
        {
            _writing = false;
            Context.Parent.Tell(new TasksStored(upTo));
            if (++_sinceSnapshot >= _snapshotEvery)
            {
                _snapshotDue = true;
                Context.Parent.Tell(new SnapshotDue(upTo));
                return;
            }
            WriteQueued();
        });
    }

    private static TasksSettledEvent Merge(List<StoreTasks> queue)
    {
        if (queue.Count == 1) return queue[0].Event;
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        var perNode = new Dictionary<string, long>(StringComparer.Ordinal);
        long? total = null;
        foreach (var e in queue.Select(q => q.Event))
        {
            total = e.Total ?? total;
            foreach (var (name, value) in e.Counters) counters[name] = counters.GetValueOrDefault(name) + value;
            foreach (var (node, value) in e.PerNode) perNode[node] = perNode.GetValueOrDefault(node) + value;
        }
        return new TasksSettledEvent([.. queue.SelectMany(q => q.Event.Results)], [.. queue.SelectMany(q => q.Event.GivenUp)], total, counters, perNode,
            queue.Max(q => q.Event.HandedOut), queue.Max(q => q.Event.RunAgain));
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null) =>
        _log.Error(reason, "{Id}: the job's journal could not be read: {Reason}", _persistenceId, reason.Message);

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr) =>
        _log.Error(cause, "{Id}: the job's journal could not be written: {Reason}", _persistenceId, cause.Message);
}

using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace ActorTasks.Tasks.Jobs.Journal;

/// <summary>Ledger → its parent: what the journal held when the ledger started.</summary>
internal sealed record LedgerRecovered(JobLedgerState State) : INoSerializationVerificationNeeded;

/// <summary>Parent → ledger: write <paramref name="Event"/>; <see cref="Recorded"/> with <paramref name="Id"/> once it is in the journal.</summary>
internal sealed record Record(long Id, IJournalMessage Event) : INoSerializationVerificationNeeded;

/// <summary>Ledger → parent: the record with this id is in the journal.</summary>
internal sealed record Recorded(long Id) : INoSerializationVerificationNeeded;

/// <summary>Ledger → parent, before Akka.Persistence stops it: why the journal cannot be read or written.</summary>
internal sealed record LedgerFailed(string Reason) : INoSerializationVerificationNeeded;

/// <summary>Parent → ledger: the parent's state is the truth now (after writes were lost while the journal was down): write it whole.</summary>
internal sealed record ReplaceState(JobLedgerState State) : INoSerializationVerificationNeeded;

/// <summary>
/// The job manager's journal (Akka.Persistence, persistence id <c>actortasks-jobs</c>): which jobs were accepted, how they
/// ended, which were forgotten, and the highest number ever given, with a snapshot every
/// <paramref name="snapshotEvery"/> events so that recovery reads a bounded stream.
/// </summary>
/// <remarks>
/// A persistent actor that cannot write is stopped by Akka.Persistence; the ledger is a child of the manager for that
/// reason: the manager sees it stop, goes on with the jobs it runs, refuses new ones, and starts the ledger again with
/// backoff until the journal answers.
/// </remarks>
internal sealed class JobLedger : ReceivePersistentActor
{
    public const string Id = "actortasks-jobs";

    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private JobLedgerState _state = JobLedgerState.Empty;
    private int _sinceSnapshot;

    public JobLedger(int snapshotEvery)
    {
        _snapshotEvery = Math.Max(1, snapshotEvery);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is JobLedgerState state) _state = state;
        });
        Recover<IJournalMessage>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ => Context.Parent.Tell(new LedgerRecovered(_state)));

        Command<Record>(record => Persist(record.Event, e =>
        {
            _state = _state.Apply(e);
            Context.Parent.Tell(new Recorded(record.Id));
            if (++_sinceSnapshot >= _snapshotEvery) TakeSnapshot();
        }));
        // The whole state goes in as an event, not only as a snapshot: a snapshot saved at the sequence number of an older
        // one (nothing was written during the outage) need not win over it when the journal is read again.
        Command<ReplaceState>(replace => Persist(replace.State, state =>
        {
            _state = state;
            TakeSnapshot();
        }));
        Command<SaveSnapshotSuccess>(saved =>
        {
            // Everything up to the snapshot is in it: the events and older snapshots can go.
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(failed => _log.Warning(failed.Cause, "The job journal could not save a snapshot; the events stay until the next one"));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failed => _log.Warning(failed.Cause, "The job journal could not delete events covered by a snapshot"));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => _log.Warning(failed.Cause, "The job journal could not delete old snapshots"));
    }

    public override string PersistenceId => Id;

    public static Props Props(int snapshotEvery) => Akka.Actor.Props.Create(() => new JobLedger(snapshotEvery));

    private void TakeSnapshot()
    {
        _sinceSnapshot = 0;
        SaveSnapshot(_state);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _log.Error(reason, "The job journal could not be read: {Reason}", reason.Message);
        Context.Parent.Tell(new LedgerFailed($"it cannot be read: {reason.Message}"));
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "The job journal could not be written: {Reason}", cause.Message);
        Context.Parent.Tell(new LedgerFailed($"it cannot be written: {cause.Message}"));
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // The journal refused this one event (a serializer error, say) and the ledger goes on: the write is lost, not the ledger.
        _log.Error(cause, "The job journal refused an event: {Reason}", cause.Message);
        base.OnPersistRejected(cause, @event, sequenceNr);
    }
}

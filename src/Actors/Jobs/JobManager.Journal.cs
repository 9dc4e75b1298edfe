using ActorTasks.Messages;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Jobs.Journal;
using Akka.Actor;
using Akka.Event;

namespace ActorTasks.Tasks.Jobs;

// The job manager's journal: a JobLedger child (Akka.Persistence) holds which jobs were accepted and how they ended.
//  - At start the manager waits (stashing) for what the ledger holds: ended jobs are listed with their results, and the
//    unfinished ones start again; each job's collector restores its settled tasks from the job's own task ledger, so a
//    resumed job goes on from its last saved results.
//  - A job is accepted once the ledger holds it; its end and its forgetting are recorded too.
//  - A ledger that cannot write is stopped by Akka.Persistence: the manager goes on with the jobs it runs, refuses new
//    ones saying why, and starts the ledger again with backoff; once back, the ledger gets the manager's state as a
//    snapshot, since what happened meanwhile was not written.
public sealed partial class JobManager
{
    private static readonly TimeSpan MinLedgerBackoff = TimeSpan.FromSeconds(1), MaxLedgerBackoff = TimeSpan.FromSeconds(10);

    private readonly Dictionary<long, (Action? Written, Action? Lost)> _onRecorded = [];
    private IActorRef? _ledger;
    private bool _ledgerUp;
    private bool _recovered;
    private string? _ledgerProblem;
    private long _nextRecord;
    private int _ledgerIncarnation;
    private TimeSpan _ledgerBackoff = MinLedgerBackoff;

    private bool _stopping;

    private void ReceiveJournal()
    {
        Receive<Recorded>(r =>
        {
            if (_onRecorded.Remove(r.Id, out var then)) then.Written?.Invoke();
            StopIfJournaled();
        });
        Receive<StopWhenJournaled>(_ =>
        {
            _stopping = true;
            Timers.StartSingleTimer(StopWhenJournaled.Instance, StopNow.Instance, StopWhenJournaled.Patience);
            StopIfJournaled();
        });
        Receive<StopNow>(_ =>
        {
            _log.Warning("Stopping with {Count} journal writes unconfirmed after {Patience}", _onRecorded.Count, StopWhenJournaled.Patience);
            Context.Stop(Self);
        });
        Receive<LedgerFailed>(f => _ledgerProblem = f.Reason);
        Receive<LedgerRecovered>(r => OnLedgerRecovered(r.State));
        Receive<Terminated>(t => t.ActorRef.Equals(_ledger), _ => OnLedgerStopped());
        Receive<RestartLedger>(_ => StartLedger());
    }

    // Stopping: once the ledger has written what it was given (a job's end, say), so that a seed leaving the cluster
    // does not leave an ended job to run again on the next one.
    private void StopIfJournaled()
    {
        if (_stopping && (_onRecorded.Count == 0 || !_ledgerUp)) Context.Stop(Self);
    }

    private sealed class StopNow
    {
        public static readonly StopNow Instance = new();
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        if (!_settings.Durable) return;
        StartLedger();
        BecomeStacked(Recovering);
    }

    // Until the journal is read, messages wait: a job number or a status answered now could be wrong.
    private bool Recovering(object message)
    {
        switch (message)
        {
            case StopWhenJournaled:
                Context.Stop(Self);
                return true;
            case LedgerRecovered recovered:
                OnLedgerRecovered(recovered.State);
                UnbecomeStacked();
                Stash.UnstashAll();
                return true;
            case Terminated t when t.ActorRef.Equals(_ledger):
                OnLedgerStopped();
                return true;
            case RestartLedger:
                StartLedger();
                return true;
            case LedgerFailed failed:
                _ledgerProblem = failed.Reason;
                return true;
            case SubmitJob submit when _ledgerProblem is not null:
                // The journal failed to read: waiting submitters would wait for as long as it stays down.
                Sender.Tell(new JobRejected(submit.Kind ?? "", null,
                    $"the job journal cannot be read ({_ledgerProblem}); jobs are accepted once it can; try again in a moment"), Self);
                return true;
            default:
                Stash.Stash();
                return true;
        }
    }

    private void StartLedger()
    {
        _ledger = Context.ActorOf(JobLedger.Props(_settings.SnapshotEvery), $"ledger-{++_ledgerIncarnation}");
        Context.Watch(_ledger);
    }

    private bool CanAcceptJobs(out string problem)
    {
        problem = $"the job journal is not available ({_ledgerProblem}); jobs already running go on, and new ones are accepted once it works again";
        return !_settings.Durable || _ledgerUp;
    }

    // Without a journal, or while it cannot be written, what follows the record goes on at once (nothing is journaled);
    // a record the journal fails to write runs lost instead, when given.
    private void RecordEvent(IJournalMessage @event, Action? written, Action? lost = null)
    {
        if (!_ledgerUp)
        {
            written?.Invoke();
            return;
        }
        var id = ++_nextRecord;
        _onRecorded[id] = (written, lost);
        _ledger!.Tell(new Record(id, @event), Self);
    }

    private void OnLedgerRecovered(JobLedgerState state)
    {
        _ledgerUp = true;
        _ledgerProblem = null;
        _ledgerBackoff = MinLedgerBackoff;
        if (_recovered)
        {
            // Back after an outage: the manager's own state is the truth, the journal missed what happened meanwhile.
            _log.Info("The job journal can be written again; new jobs are accepted");
            _ledger!.Tell(new ReplaceState(CurrentState()), Self);
            return;
        }
        _recovered = true;
        Recover(state);
    }

    private void OnLedgerStopped()
    {
        _ledger = null;
        _ledgerUp = false;
        _ledgerProblem ??= "see the error logged before this";
        _log.Error("The job journal cannot be used; {What}; trying again in {Delay}",
            _recovered ? "running jobs go on and new ones are refused" : "new jobs are refused until it has been read", _ledgerBackoff);
        // What was waiting for the journal goes on without it, or is undone.
        var waiting = _onRecorded.OrderBy(r => r.Key).Select(r => r.Value).ToList();
        _onRecorded.Clear();
        foreach (var (written, lost) in waiting) (lost ?? written)?.Invoke();
        Timers.StartSingleTimer(RestartLedger.Instance, RestartLedger.Instance, _ledgerBackoff);
        _ledgerBackoff = TimeSpan.FromTicks(Math.Min(_ledgerBackoff.Ticks * 2, MaxLedgerBackoff.Ticks));
    }

    private JobLedgerState CurrentState() => new(_lastJobNumber,
        [.. _jobs.Values.OrderBy(j => j.Number).Select(j => new StoredJob(j.Number, j.Submit, j.SubmittedAt, j.Finished, j.Finished is null ? null : j.Progress, j.FinishedAt))]);

    private void Recover(JobLedgerState state)
    {
        _lastJobNumber = Math.Max(_lastJobNumber, state.LastNumber);
        var ended = new List<JobRecord>();
        foreach (var stored in state.Jobs)
        {
            if (stored.Finished is not { } finished) continue;
            var job = new JobRecord(stored.Number, stored.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), stored.Submit,
                ActorRefs.Nobody, stored.SubmittedAt)
            {
                State = finished.State,
                Finished = finished,
                Progress = stored.FinalProgress,
                FinishedAt = stored.FinishedAt ?? stored.SubmittedAt,
                EndAnnounced = true,
            };
            _jobs.Add(job.JobId, job);
            ended.Add(job);
        }
        // Oldest end first, as they ended: the ones forgotten first when more are kept than finished-jobs-kept.
        foreach (var job in ended.OrderBy(j => j.FinishedAt).ThenBy(j => j.Number)) _finishedOrder.Enqueue(job.JobId);
        ForgetOldest();
        var unfinished = state.Jobs.Where(j => j.Finished is null).ToList();
        foreach (var stored in unfinished) Resume(stored);
        _log.Info("Job journal read: {Ended} ended jobs kept, {Resumed} unfinished jobs resumed; the next job is {Next}",
            ended.Count, unfinished.Count, _lastJobNumber + 1);
    }

    private void Resume(StoredJob stored)
    {
        var submit = stored.Submit;
        string? problem = null;
        IPreparedJob? prepared = null;
        if (!_registry.TryGet(submit.Kind, out var kind))
            problem = $"job kind '{submit.Kind}' is not loaded on this node";
        else
        {
            try
            {
                prepared = kind.Prepare(submit.Arguments);
            }
            catch (Exception e)
            {
                problem = e is JobArgumentException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            }
        }
        if (prepared is null)
        {
            var job = new JobRecord(stored.Number, stored.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), submit, ActorRefs.Nobody, stored.SubmittedAt);
            _jobs.Add(job.JobId, job);
            _log.Warning("Job {JobId} from the journal could not be started again: {Problem}", job.JobId, DisplayText.Escape(problem));
            EndWithoutCollector(job, $"could not be started again after a restart: {problem}");
            return;
        }
        StartJob(stored.Number, submit, prepared, ActorRefs.Nobody, stored.SubmittedAt);
        _log.Info("Job {JobId} from the journal resumes: {Kind} {Arguments}", stored.Number, DisplayText.Escape(submit.Kind), DisplayText.Escape(submit.Arguments));
    }

    private sealed class RestartLedger : INoSerializationVerificationNeeded
    {
        public static readonly RestartLedger Instance = new();
    }
}

/// <summary>
/// Stops the job manager once its journal holds what it was given to write (at most <see cref="Patience"/> later): the
/// message a cluster singleton manager stops it with when its seed leaves, and what tests stop it with.
/// </summary>
public sealed class StopWhenJournaled : INoSerializationVerificationNeeded
{
    /// <summary>The one instance.</summary>
    public static readonly StopWhenJournaled Instance = new();

    /// <summary>How long the manager waits for the journal before it stops anyway.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
}

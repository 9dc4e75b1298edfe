using ActorTasks.Messages;
using ActorTasks.Tasks.Collectors;

namespace ActorTasks.Tasks.Jobs.Journal;

/// <summary>
/// Marks what the job journal stores (events and snapshots). Bound in hocon/actortasks.conf to
/// <see cref="JournalSerializer"/>, so that nothing in the journal is written by a serializer that reads .NET type names.
/// </summary>
public interface IJournalMessage;

// The job manager's ledger (persistence id "actortasks-jobs"): which jobs exist and how they ended.

/// <summary>A job was accepted under <paramref name="Number"/>: it is in the journal before its submitter hears of it.</summary>
internal sealed record JobAcceptedEvent(long Number, SubmitJob Submit, DateTimeOffset SubmittedAt) : IJournalMessage;

/// <summary>A job ended; <paramref name="Finished"/> holds every result line.</summary>
internal sealed record JobEndedEvent(long Number, JobFinished Finished, JobProgress? FinalProgress, DateTimeOffset FinishedAt) : IJournalMessage;

/// <summary>A finished job was forgotten (more than <c>finished-jobs-kept</c> had ended).</summary>
internal sealed record JobForgottenEvent(long Number) : IJournalMessage;

/// <summary>A job as the ledger holds it: what was submitted, and how it ended (null while it runs).</summary>
internal sealed record StoredJob(long Number, SubmitJob Submit, DateTimeOffset SubmittedAt, JobFinished? Finished = null,
    JobProgress? FinalProgress = null, DateTimeOffset? FinishedAt = null);

/// <summary>The ledger's snapshot (and, written as an event, a replacement of everything before it): the highest job number ever given, and every job it holds.</summary>
internal sealed record JobLedgerState(long LastNumber, IReadOnlyList<StoredJob> Jobs) : IJournalMessage
{
    public static readonly JobLedgerState Empty = new(0, []);

    /// <summary>This state with <paramref name="event"/> applied.</summary>
    public JobLedgerState Apply(IJournalMessage @event) => @event switch
    {
        JobAcceptedEvent a => new JobLedgerState(Math.Max(LastNumber, a.Number), [.. Jobs.Where(j => j.Number != a.Number), new StoredJob(a.Number, a.Submit, a.SubmittedAt)]),
        JobEndedEvent e => this with
        {
            Jobs = [.. Jobs.Select(j => j.Number == e.Number ? j with { Finished = e.Finished, FinalProgress = e.FinalProgress, FinishedAt = e.FinishedAt } : j)],
        },
        JobForgottenEvent f => this with { Jobs = [.. Jobs.Where(j => j.Number != f.Number)] },
        JobLedgerState replacement => replacement,
        _ => this,
    };
}

// One job's task ledger (persistence id "actortasks-job-N"): the results it settled, in the order the collector counted them.

/// <summary>A task's result as the journal keeps it.</summary>
internal readonly record struct StoredResult(long Index, byte[] Result);

/// <summary>
/// What the collector counted since the last event: results (each task at most once), tasks given up on, the total
/// once the split has ended, progress counters and tasks done per node, how far the split had been handed out and how
/// many tasks were handed out again (both absolute: the highest written wins).
/// </summary>
internal sealed record TasksSettledEvent(
    IReadOnlyList<StoredResult> Results,
    IReadOnlyList<TaskFailure> GivenUp,
    long? Total,
    IReadOnlyDictionary<string, long> Counters,
    IReadOnlyDictionary<string, long> PerNode,
    long HandedOut = 0,
    long RunAgain = 0) : IJournalMessage;

/// <summary>A job's tasks at a point: which settled, the counts, the failures kept, counters, per-node counts, how far tasks were handed out and how many again, and the reducer's saved state.</summary>
internal sealed record JobTasksState(
    SettledSet Settled,
    long Done,
    long Failed,
    long? Total,
    IReadOnlyList<TaskFailure> Failures,
    IReadOnlyDictionary<string, long> Counters,
    IReadOnlyDictionary<string, long> PerNode,
    byte[] Reducer,
    long HandedOut = 0,
    long RunAgain = 0) : IJournalMessage;

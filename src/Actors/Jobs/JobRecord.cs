using Akka.Actor;
using ActorTasks.Messages;

namespace ActorTasks.Tasks.Jobs;

/// <summary>What the job manager knows of one job; owned by the manager and changed only by its messages.</summary>
internal sealed class JobRecord(long number, string jobId, SubmitJob submit, IActorRef submitter, DateTimeOffset submittedAt)
{
    /// <summary>The job's number in submission order; its id is this number as text.</summary>
    public long Number { get; } = number;

    public string JobId { get; } = jobId;

    public string Kind { get; } = submit.Kind;

    public IReadOnlyList<string> Arguments { get; } = submit.Arguments;

    public JobOptions Options { get; } = submit.Options ?? JobOptions.Default;

    /// <summary>The job as its kind prepared it on the seed (for the producer, started once the collector is ready).</summary>
    public ActorTasks.Tasks.JobKinds.IPreparedJob? Prepared { get; init; }

    public IActorRef Submitter { get; } = submitter;

    public DateTimeOffset SubmittedAt { get; } = submittedAt;

    public JobState State { get; set; } = JobState.Running;

    public IActorRef? Producer { get; set; }

    public IActorRef? Collector { get; set; }

    /// <summary>Who asked to cancel: they hear how the job ended.</summary>
    public HashSet<IActorRef> Cancellers { get; } = [];

    /// <summary>Who watches the job: progress comes from the collector, the outcome from the manager.</summary>
    public HashSet<IActorRef> Watchers { get; } = [];

    /// <summary>The latest progress the collector published.</summary>
    public JobProgress? Progress { get; set; }

    /// <summary>How the job ended, with every result line (kept here for paging).</summary>
    public JobFinished? Finished
    {
        get;
        set
        {
            field = value;
            WireFinished = value is null ? null : ResultPages.ForWire(value);
        }
    }

    /// <summary><see cref="Finished"/> as it is sent: the first result lines when all would not fit one message.</summary>
    public JobFinished? WireFinished { get; private set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>How the job was submitted, as the journal keeps it.</summary>
    public SubmitJob Submit { get; } = submit;

    /// <summary>True while the submitter waits for the journal to record the job before it hears <see cref="JobAccepted"/>.</summary>
    public bool AcceptPending { get; set; }

    /// <summary>True once a consumer has asked for the job's tasks.</summary>
    public bool Claimed { get; set; }

    /// <summary>Consumers that cannot take part in the job, with their node and why.</summary>
    public Dictionary<IActorRef, (string Node, string Reason)> Declines { get; } = [];

    /// <summary>True once consumers were told that the job ended.</summary>
    public bool EndAnnounced { get; set; }

    public JobStatusReport Status() => new(JobId, Kind, Arguments, State,
        Finished?.Done ?? Progress?.Done ?? 0,
        Finished?.Failed ?? Progress?.Failed ?? 0,
        Finished is not null ? Finished.Total : Progress?.Total,
        SubmittedAt, FinishedAt, Progress?.RunAgain ?? 0);
}

namespace ActorTasks.Messages;

/// <summary>Where a job is in its life: running, or finished in one of three ways.</summary>
public enum JobState
{
    /// <summary>Accepted and not finished yet.</summary>
    Running,

    /// <summary>Every task succeeded.</summary>
    Completed,

    /// <summary>Ended early: a task failed with fail-fast on, splitting or reducing failed, or a job actor stopped.</summary>
    Failed,

    /// <summary>Ended early by a <see cref="CancelJob"/>; its output holds the results that had arrived.</summary>
    Cancelled,

    /// <summary>Every task settled, and some failed after their retries (without fail-fast): the output lacks their results.</summary>
    CompletedWithFailures,
}

/// <summary>How a job treats failing tasks: retries before a task counts as failed (null: the node's default), and whether one failed task ends the job.</summary>
public sealed record JobOptions(bool FailFast = false, int? MaxRetries = null)
{
    /// <summary>No fail-fast, the node's default retry limit.</summary>
    public static readonly JobOptions Default = new();
}

/// <summary>Asks the job manager to run a job of <paramref name="Kind"/> with <paramref name="Arguments"/>; answered at once with <see cref="JobAccepted"/> or <see cref="JobRejected"/>, and later with <see cref="JobFinished"/>.</summary>
public sealed record SubmitJob(string Kind, IReadOnlyList<string> Arguments, JobOptions Options) : ITaskSystemMessage;

/// <summary>The job was started under <paramref name="JobId"/>.</summary>
public sealed record JobAccepted(string JobId, string Kind) : ITaskSystemMessage;

/// <summary>The job was refused before anything started: <paramref name="Argument"/> names the argument at fault (null when none is).</summary>
public sealed record JobRejected(string Kind, string? Argument, string Reason) : ITaskSystemMessage;

/// <summary>Asks for a job's <see cref="JobStatusReport"/> (or <see cref="JobUnknown"/>).</summary>
public sealed record GetJobStatus(string JobId) : ITaskSystemMessage;

/// <summary>
/// A job's state and counts: tasks done, failed, the total once the split has ended (null until then), and the tasks
/// handed out again (see <see cref="JobProgress.RunAgain"/>).
/// </summary>
public sealed record JobStatusReport(
    string JobId,
    string Kind,
    IReadOnlyList<string> Arguments,
    JobState State,
    long Done,
    long Failed,
    long? Total,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? FinishedAt,
    long RunAgain = 0) : ITaskSystemMessage;

/// <summary>Asks for every job the manager knows, running and kept finished ones: answered with <see cref="JobList"/>.</summary>
public sealed record ListJobs : ITaskSystemMessage
{
    /// <summary>The one instance (the message has no fields).</summary>
    public static readonly ListJobs Instance = new();
}

/// <summary>The jobs the manager knows, oldest first.</summary>
public sealed record JobList(IReadOnlyList<JobStatusReport> Jobs) : ITaskSystemMessage;

/// <summary>Asks to cancel a running job: answered with <see cref="JobCancelling"/>, <see cref="JobAlreadyFinished"/> or <see cref="JobUnknown"/>; the canceller then gets <see cref="JobFinished"/>.</summary>
public sealed record CancelJob(string JobId) : ITaskSystemMessage;

/// <summary>Production has stopped and running tasks are being cancelled; <see cref="JobFinished"/> with <see cref="JobState.Cancelled"/> follows.</summary>
public sealed record JobCancelling(string JobId) : ITaskSystemMessage;

/// <summary>The job had already finished, in <paramref name="State"/>, so there is nothing to cancel.</summary>
public sealed record JobAlreadyFinished(string JobId, JobState State) : ITaskSystemMessage;

/// <summary>No job with this id is known (never submitted, or finished so long ago that it is no longer kept).</summary>
public sealed record JobUnknown(string JobId) : ITaskSystemMessage;

/// <summary>A task that failed on every attempt: its index in the split, the attempts made, and the last error's type and message.</summary>
public sealed record TaskFailure(long TaskIndex, int Attempts, string ErrorType, string Message);

/// <summary>
/// A job has ended. <paramref name="Summary"/> and <paramref name="Lines"/> are the reduced output (partial when
/// cancelled or failed early); <paramref name="Failures"/> lists the first failed tasks (all are counted in
/// <paramref name="Failed"/>); <paramref name="Reason"/> says why a job did not complete.
/// </summary>
/// <remarks>
/// A message has a size limit between nodes, so a large output travels in parts: when <paramref name="LinesTotal"/> is
/// set, <paramref name="Lines"/> holds only the first of that many lines, and <see cref="GetJobLines"/> fetches the rest.
/// </remarks>
public sealed record JobFinished(
    string JobId,
    JobState State,
    IReadOnlyList<KeyValuePair<string, string>> Summary,
    IReadOnlyList<string> Lines,
    long Done,
    long Failed,
    long? Total,
    IReadOnlyList<TaskFailure> Failures,
    string? Reason,
    TimeSpan Elapsed,
    long? LinesTotal = null) : ITaskSystemMessage, Akka.Event.IDeadLetterSuppression
{
    /// <summary>How many result lines the job produced in all.</summary>
    public long LineCount => LinesTotal ?? Lines.Count;
}

/// <summary>Asks for a job's results: answered with its <see cref="JobFinished"/> once it has finished, its <see cref="JobStatusReport"/> while it runs, or <see cref="JobUnknown"/>.</summary>
public sealed record GetJobResults(string JobId) : ITaskSystemMessage;

/// <summary>
/// Asks for a finished job's result lines from line <paramref name="From"/> (0-based), at most <paramref name="MaxLines"/>
/// and at most what fits one message: answered with <see cref="JobLines"/>, its <see cref="JobStatusReport"/> while it
/// runs, or <see cref="JobUnknown"/>.
/// </summary>
public sealed record GetJobLines(string JobId, long From, int MaxLines) : ITaskSystemMessage;

/// <summary>A page of a finished job's result lines: <paramref name="Lines"/> start at line <paramref name="From"/> of <paramref name="Total"/>.</summary>
public sealed record JobLines(string JobId, long From, IReadOnlyList<string> Lines, long Total) : ITaskSystemMessage;

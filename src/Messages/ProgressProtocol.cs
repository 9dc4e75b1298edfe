namespace ActorTasks.Messages;

/// <summary>Asks for <see cref="JobProgress"/> events of a job (one at once, then at most every progress interval) and its <see cref="JobFinished"/>; <see cref="JobUnknown"/> for an unknown id.</summary>
public sealed record WatchJob(string JobId) : ITaskSystemMessage;

/// <summary>No more progress events of this job for the sender.</summary>
public sealed record UnwatchJob(string JobId) : ITaskSystemMessage;

/// <summary>
/// How far a job is: tasks done and failed, the total (null until the split has ended), the recent rate in
/// tasks per second, the estimated time left (null while unknown), tasks done per node address, and the
/// named counters its tasks reported through <c>TaskContext.Report</c>.
/// </summary>
/// <remarks>
/// Done, failed and per-node counts are exact (each task once); counters count every attempt that reported them, so a
/// re-run task may add twice. <paramref name="RunAgain"/> counts tasks handed out again after they had been handed out
/// before without a result: those a dead consumer held, and after a seed restart those the job's journal shows handed
/// out but not settled. Each may have run twice (or not at all, if it waited in a consumer's window); tasks handed out
/// in the moments between the journal's last write and a crash of the seed are not among them.
/// A watcher that has gone (a client that left) misses its last reports, as expected: they are not logged as dead
/// letters (nor is <see cref="JobFinished"/> to a submitter or canceller that has gone); a node logs them at DEBUG.
/// </remarks>
public sealed record JobProgress(
    string JobId,
    long Done,
    long Failed,
    long? Total,
    double RatePerSecond,
    TimeSpan? Eta,
    TimeSpan Elapsed,
    IReadOnlyDictionary<string, long> PerNode,
    IReadOnlyDictionary<string, long> Counters,
    long RunAgain = 0) : ITaskSystemMessage, Akka.Event.IDeadLetterSuppression;

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
/// <remarks>Done, failed and per-node counts are exact (each task once); counters count every attempt that reported them, so a re-run task may add twice.</remarks>
public sealed record JobProgress(
    string JobId,
    long Done,
    long Failed,
    long? Total,
    double RatePerSecond,
    TimeSpan? Eta,
    TimeSpan Elapsed,
    IReadOnlyDictionary<string, long> PerNode,
    IReadOnlyDictionary<string, long> Counters) : ITaskSystemMessage;

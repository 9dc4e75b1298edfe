using ActorTasks.Messages;
using Akka.Actor;

namespace ActorTasks.Tasks.Jobs;

// Messages between a job's actors on the seed: the JobManager, its Producer and its Collector are
// parent and children on one node, so these never cross the wire and are not registered.

/// <summary>Producer → Collector: the split has ended after <paramref name="Total"/> tasks.</summary>
internal sealed record SplitFinished(long Total) : INoSerializationVerificationNeeded;

/// <summary>
/// Producer → Collector: the split has been read up to task <paramref name="Through"/> (exclusive), and
/// <paramref name="Again"/> tasks were handed out again since this producer started (see <see cref="JobProgress.RunAgain"/>).
/// </summary>
internal sealed record TasksHandedOut(long Through, long Again) : INoSerializationVerificationNeeded;

/// <summary>
/// Producer → Collector: a task failed on every attempt and will not run again; with <paramref name="EndsJob"/> (a
/// fail-fast job) the job ends <see cref="JobState.Failed"/> for that reason, also when it was the last task.
/// </summary>
internal sealed record TaskAbandoned(TaskFailure Failure, string? EndsJob = null) : INoSerializationVerificationNeeded;

/// <summary>Producer or JobManager → Collector: end the job now, in <paramref name="State"/>, with the results so far.</summary>
internal sealed record EndJob(JobState State, string Reason) : INoSerializationVerificationNeeded;

/// <summary>Collector → JobManager: the job has ended; the manager tells the submitter, the cancellers and the watchers.</summary>
internal sealed record CollectorFinished(JobFinished Finished, JobProgress FinalProgress) : INoSerializationVerificationNeeded;

/// <summary>Producer → JobManager: a consumer has asked for the job's tasks, so the job will not wait unclaimed.</summary>
internal sealed record JobClaimed(string JobId) : INoSerializationVerificationNeeded;

/// <summary>
/// Collector → JobManager: the collector has restored what the job's journal holds (nothing for a new job) and counts
/// from now on; <paramref name="Settled"/> are the tasks already settled, which the job's producer must not hand out;
/// tasks below <paramref name="HandedOut"/> that are not settled were handed out before a restart.
/// </summary>
internal sealed record CollectorReady(string JobId, ActorTasks.Tasks.Collectors.SettledSet Settled, long HandedOut = 0) : INoSerializationVerificationNeeded;

/// <summary>JobManager → Collector: the job's end is recorded; delete its task journal and stop.</summary>
internal sealed record ForgetJob : INoSerializationVerificationNeeded
{
    public static readonly ForgetJob Instance = new();
}

using Akka.Actor;

namespace ActorTasks.Messages;

/// <summary>A consumer tells the job manager it is ready for work; answered with <see cref="ConsumerRegistered"/> and a <see cref="JobStarted"/> per running job.</summary>
public sealed record RegisterConsumer(IActorRef Consumer) : ITaskSystemMessage;

/// <summary>The job manager has taken the consumer on: it will hear of every job that starts and ends.</summary>
public sealed record ConsumerRegistered(IActorRef Consumer) : ITaskSystemMessage;

/// <summary>A job has started: consumers prepare it from its kind and arguments and pull its tasks from <paramref name="Producer"/>.</summary>
public sealed record JobStarted(string JobId, string Kind, IReadOnlyList<string> Arguments, IActorRef Producer) : ITaskSystemMessage;

/// <summary>
/// A consumer cannot take part in a job: its node does not know the job's kind, or cannot prepare the job (a file
/// missing or unreadable there). Sent to the job manager that announced the job; once every consumer has declined, the
/// job fails naming the reasons and the nodes instead of waiting for ever.
/// </summary>
public sealed record JobDeclined(string JobId, string Node, string Reason) : ITaskSystemMessage;

/// <summary>A job has ended: consumers cancel its running task and drop what they hold of it.</summary>
public sealed record JobEnded(string JobId, JobState State) : ITaskSystemMessage;

/// <summary>
/// A consumer asks a job's producer for work: it wants to hold <paramref name="Window"/> tasks of the job in all
/// (running, queued, and on their way to it). The producer sends the difference to what the consumer holds by its
/// own count, now or as tasks become available; a smaller window just means no more tasks for now.
/// </summary>
public sealed record RequestWork(string JobId, int Window) : ITaskSystemMessage;

/// <summary>One task: its index in the split (the task's id within its job), its payload, and which attempt this is (1 for the first).</summary>
public readonly record struct WorkItem(long Index, byte[] Payload, int Attempt);

/// <summary>Tasks for a consumer, at most as many as it asked for.</summary>
public sealed record WorkAssigned(string JobId, WorkItem[] Tasks) : ITaskSystemMessage;

/// <summary>A task's result, encoded by its job kind.</summary>
public readonly record struct TaskSucceeded(long Index, int Attempt, byte[] Result);

/// <summary>
/// A task attempt that threw: the exception's type and message. <paramref name="Permanent"/>: the job kind said another
/// attempt would fail the same way, so the task is recorded as failed without retries.
/// </summary>
public readonly record struct TaskFailed(long Index, int Attempt, string ErrorType, string Message, bool Permanent = false);

/// <summary>
/// A consumer's results for one job, batched for throughput, sent to the job's producer. It also renews the
/// consumer's request (its <paramref name="Window"/>, as in <see cref="RequestWork"/>) and carries the named
/// progress counters its tasks reported (null when none did).
/// </summary>
/// <remarks>
/// Results still on their way when a job ends (it was cancelled, or failed fast) reach a producer that has stopped:
/// expected, so they are not logged as dead letters (<see cref="IDeadLetterSuppression"/>); a node logs them at DEBUG.
/// </remarks>
public sealed record TaskResults(
    string JobId,
    TaskSucceeded[] Succeeded,
    TaskFailed[] Failed,
    Dictionary<string, long>? Counters,
    int Window) : ITaskSystemMessage, Akka.Event.IDeadLetterSuppression;

/// <summary>
/// The producer asks a consumer for up to <paramref name="MaxTasks"/> of the job's tasks it holds but has not started,
/// to give them to an idle consumer: once a job's split is exhausted, this keeps one consumer from finishing the job
/// alone with a full window while another waits. Answered with <see cref="WorkReturned"/>.
/// </summary>
public sealed record ReturnWork(string JobId, int MaxTasks) : ITaskSystemMessage;

/// <summary>The tasks a consumer gave back (dropped, never to run there), by index; empty when it had none left to give.</summary>
public sealed record WorkReturned(string JobId, long[] Indexes) : ITaskSystemMessage;

/// <summary>Asks a node's consumer pool for its live consumers: answered with <see cref="PoolConsumers"/>.</summary>
public sealed record GetConsumers : ITaskSystemMessage
{
    /// <summary>The one instance (the message has no fields).</summary>
    public static readonly GetConsumers Instance = new();
}

/// <summary>A pool's live consumers, by name.</summary>
public sealed record PoolConsumers(IReadOnlyList<IActorRef> Consumers) : ITaskSystemMessage;

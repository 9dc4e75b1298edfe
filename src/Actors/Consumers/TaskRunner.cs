using System.Collections.Concurrent;
using System.Diagnostics;
using ActorTasks.Messages;
using ActorTasks.Tasks.JobKinds;

namespace ActorTasks.Tasks.Consumers;

/// <summary>What a run of tasks produced: how many of the given tasks it got through, their results and failures, and the counters they reported.</summary>
internal sealed record ChunkResult(
    int Processed,
    TaskSucceeded[] Succeeded,
    TaskFailed[] Failed,
    Dictionary<string, long>? Counters,
    TimeSpan Elapsed,
    bool Cancelled);

/// <summary>Runs a consumer's tasks off the actor's thread, one after another, for at most a time budget.</summary>
internal static class TaskRunner
{
    /// <summary>Error messages are cut to this many characters, so that a run's failures always fit one message to the seed.</summary>
    public const int MaxErrorLength = 4000;

    /// <summary>
    /// The failure of <paramref name="item"/>'s attempt: the exception's type (<see cref="TaskInputException.ErrorType"/>
    /// for bad input) and (cut) message, permanent when the kind said so.
    /// </summary>
    public static TaskFailed Failure(WorkItem item, Exception e) => new(item.Index, item.Attempt,
        e is TaskInputException ? TaskInputException.ErrorType : e.GetType().FullName ?? e.GetType().Name,
        e.Message.Length <= MaxErrorLength ? e.Message : string.Concat(e.Message.AsSpan(0, MaxErrorLength), "…"),
        Permanent: e is PermanentTaskFailureException);

    /// <summary>
    /// Processes <paramref name="items"/> in order until all are done, the budget is spent (at least one task always
    /// runs) or <paramref name="cancel"/> fires. A task that throws is a failure with the exception's type and message.
    /// </summary>
    public static async Task<ChunkResult> RunAsync(IPreparedJob job, WorkItem[] items, CancellationToken cancel, TimeSpan budget, string kind = "")
    {
        var started = Stopwatch.GetTimestamp();
        var timed = TaskMetrics.TaskDuration.Enabled;
        var kindTag = new KeyValuePair<string, object?>("kind", kind);
        var succeeded = new TaskSucceeded[items.Length];
        var succeededCount = 0;
        List<TaskFailed>? failed = null;
        // A task may report from threads of its own, so the counters take concurrent adds.
        var counters = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var context = new TaskContext(cancel, (name, delta) => counters.AddOrUpdate(name, delta, (_, v) => v + delta));
        var processed = 0;
        var cancelled = false;
        while (processed < items.Length)
        {
            if (cancel.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }
            var item = items[processed];
            var taskStarted = timed ? Stopwatch.GetTimestamp() : 0;
            try
            {
                var pending = job.ProcessAsync(item.Payload, context);
                // Most kinds finish synchronously: take the result without an await (it is complete, Result does not block).
                var result = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
                succeeded[succeededCount++] = new TaskSucceeded(item.Index, item.Attempt, Payloads.ToArray(result));
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }
            catch (Exception e)
            {
                (failed ??= []).Add(Failure(item, e));
            }
            if (timed) TaskMetrics.TaskDuration.Record(Stopwatch.GetElapsedTime(taskStarted).TotalSeconds, kindTag);
            processed++;
            if (Stopwatch.GetElapsedTime(started) >= budget) break;
        }
        if (succeededCount < succeeded.Length) Array.Resize(ref succeeded, succeededCount);
        return new ChunkResult(processed, succeeded, failed is null ? [] : [.. failed],
            counters.IsEmpty ? null : new Dictionary<string, long>(counters, StringComparer.Ordinal),
            Stopwatch.GetElapsedTime(started), cancelled);
    }
}

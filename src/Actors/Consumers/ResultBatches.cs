using System.Globalization;
using ActorTasks.Messages;

namespace ActorTasks.Tasks.Consumers;

/// <summary>Splits a run of task results into messages that can cross to the seed: each holds at most a given number of result bytes.</summary>
/// <remarks>
/// A message larger than the remote frame size is dropped on the way, and the producer would wait for its tasks
/// forever; so results are split, and a single result over the limit becomes the failure of its task instead.
/// </remarks>
internal static class ResultBatches
{
    /// <summary>
    /// The successes in batches of at most <paramref name="maxBytes"/> result bytes each, in order (one empty batch when
    /// there are none), and the failures: <paramref name="failed"/> plus one for every result larger than the limit.
    /// </summary>
    public static (List<TaskSucceeded[]> Batches, TaskFailed[] Failed) Split(TaskSucceeded[] succeeded, TaskFailed[] failed, long maxBytes)
    {
        long total = 0;
        foreach (var s in succeeded) total += s.Result.Length;
        if (total <= maxBytes) return ([succeeded], failed);

        var batches = new List<TaskSucceeded[]>();
        var allFailed = new List<TaskFailed>(failed);
        var batch = new List<TaskSucceeded>();
        long bytes = 0;
        foreach (var s in succeeded)
        {
            if (s.Result.Length > maxBytes)
            {
                allFailed.Add(new TaskFailed(s.Index, s.Attempt, Consumer.ResultTooLargeError, string.Create(CultureInfo.InvariantCulture,
                    $"the task's result is {s.Result.Length} bytes, more than actortasks.tasks.max-result-bytes ({maxBytes}); split the job into smaller tasks")));
                continue;
            }
            if (bytes + s.Result.Length > maxBytes)
            {
                batches.Add([.. batch]);
                batch.Clear();
                bytes = 0;
            }
            batch.Add(s);
            bytes += s.Result.Length;
        }
        batches.Add([.. batch]);
        return (batches, [.. allFailed]);
    }
}

using ActorTasks.Tasks.JobKinds;

namespace ActorTasks.Tasks.Tests.JobKinds;

/// <summary>Runs a prepared job in-process as the task system would: split, process every task, reduce in a shuffled order.</summary>
internal static class JobHarness
{
    /// <summary>What a run produced: the job's output, the tasks it was split into and the progress counters its tasks reported.</summary>
    public sealed record Run(JobOutput Output, int Tasks, IReadOnlyDictionary<string, long> Counters);

    public static async Task<Run> RunShuffledAsync(IPreparedJob job, int seed = 1)
    {
        var counters = new Dictionary<string, long>();
        var context = new TaskContext(CancellationToken.None, (name, delta) => counters[name] = counters.GetValueOrDefault(name) + delta);
        var results = new List<(long Index, ReadOnlyMemory<byte> Result)>();
        long index = 0;
        foreach (var task in job.Split(CancellationToken.None))
            results.Add((index++, await job.ProcessAsync(task, context)));

        var shuffled = results.ToArray();
        new Random(seed).Shuffle(shuffled);
        var reducer = job.CreateReducer();
        foreach (var (i, result) in shuffled)
            reducer.Add(i, result);
        return new Run(reducer.Complete(), results.Count, counters);
    }

    /// <summary>Processes every task but adds only those <paramref name="keep"/> accepts, as after a cancel.</summary>
    public static async Task<JobOutput> RunPartialAsync(IPreparedJob job, Func<long, bool> keep)
    {
        var context = new TaskContext(CancellationToken.None);
        var reducer = job.CreateReducer();
        long index = 0;
        foreach (var task in job.Split(CancellationToken.None))
        {
            var i = index++;
            if (keep(i))
                reducer.Add(i, await job.ProcessAsync(task, context));
        }
        return reducer.Complete();
    }

    public static string Get(this JobOutput output, string key) =>
        output.Summary.Single(kv => kv.Key == key).Value;
}

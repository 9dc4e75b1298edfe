using System.Diagnostics;
using ActorTasks.Tasks.JobKinds.Hash;

namespace ActorTasks.Bench.Tasks;

/// <summary>Sizes <c>hash</c> jobs by time: how many SHA-256 rounds one task needs to take a given time on this machine now.</summary>
internal static class HashRounds
{
    /// <summary>Rounds for about <paramref name="perTask"/> per task, from the fastest of a few samples (between 100 and 10,000,000).</summary>
    public static int For(TimeSpan perTask)
    {
        const int sample = 1_000;
        var fastest = TimeSpan.MaxValue;
        for (var i = 0; i < 10; i++)
        {
            var clock = Stopwatch.StartNew();
            HashJobKind.TaskDigest(i, sample);
            if (clock.Elapsed < fastest) fastest = clock.Elapsed;
        }
        return (int)Math.Clamp(perTask / (fastest / sample), 100, 10_000_000);
    }
}

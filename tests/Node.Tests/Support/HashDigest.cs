using ActorTasks.Tasks.JobKinds.Hash;

namespace ActorTasks.Node.Tests.Support;

/// <summary>The result of <c>hash TASKS --rounds ROUNDS</c> computed in this process, task by task, to compare with a cluster's.</summary>
internal static class HashDigest
{
    public static string SingleThreaded(int tasks, int rounds)
    {
        var expected = new byte[32];
        for (var i = 0; i < tasks; i++)
        {
            var d = HashJobKind.TaskDigest(i, rounds);
            for (var b = 0; b < 32; b++) expected[b] ^= d[b];
        }
        return Convert.ToHexStringLower(expected);
    }
}

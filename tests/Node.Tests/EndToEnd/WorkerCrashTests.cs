using System.Text.RegularExpressions;
using ActorTasks.Node.Hosting;
using ActorTasks.Tasks.JobKinds.Hash;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>A seed and two workers as separate processes; a worker is killed with kill -9 in the middle of a job.</summary>
public sealed class WorkerCrashTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly List<NodeProcess> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
    }

    private async Task<(NodeProcess Node, string Address)> StartAsync(string name, params string[] arguments)
    {
        var node = NodeProcess.Start(name, [.. arguments, "-D", "actortasks.log.console=off"], (n, line) => log.WriteLine($"[{n.Name}] {line}"), redirectInput: true);
        _nodes.Add(node);
        var up = await node.WaitForLineAsync(l => l.Contains("node up at "), Timeout);
        return (node, Regex.Match(up, @"node up at actortasks://tasks@(\S+)").Groups[1].Value);
    }

    [Fact]
    public async Task A_job_survives_a_worker_killed_mid_job_with_the_same_result_as_a_single_threaded_run()
    {
        const int tasks = 200, rounds = 20_000;
        var (seed, seedAddress) = await StartAsync("seed", "seed", "--port", "0");
        var (doomed, _) = await StartAsync("worker-1", "worker", "--join", seedAddress);
        await StartAsync("worker-2", "worker", "--join", seedAddress);

        await seed.SendLineAsync($"submit hash {tasks} --rounds {rounds}");
        await seed.WaitForLineAsync(l => l.StartsWith("job 1 accepted", StringComparison.Ordinal), Timeout);
        // Kill a worker once some tasks are done, while others are in flight on it.
        await seed.SendLineAsync("watch 1");
        await seed.WaitForLineAsync(l => Regex.IsMatch(l, @"job 1: [1-9][\d,]*/"), Timeout);
        doomed.KillHard();

        var finished = await seed.WaitForLineAsync(l => l.StartsWith("job 1 ", StringComparison.Ordinal) && l.Contains("done,"), Timeout);
        Assert.Contains("job 1 Completed", finished);
        await seed.SendLineAsync("results 1");
        var digest = await seed.WaitForLineAsync(l => l.TrimStart().StartsWith("digest:", StringComparison.Ordinal), Timeout);

        var expected = new byte[32];
        for (var i = 0; i < tasks; i++)
        {
            var d = HashJobKind.TaskDigest(i, rounds);
            for (var b = 0; b < 32; b++) expected[b] ^= d[b];
        }
        Assert.Equal(Convert.ToHexStringLower(expected), digest.Split(':', 2)[1].Trim());
        await seed.SendLineAsync("jobs");
        await seed.WaitForLineAsync(l => Regex.IsMatch(l, $@"│\s*1\s*│\s*hash\s*│\s*Completed\s*│\s*{tasks}\s*│\s*0\s*│"), Timeout);
    }
}

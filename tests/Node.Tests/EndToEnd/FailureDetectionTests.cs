using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>
/// The cluster's failure detector and split-brain resolver as processes on this machine: members that are only busy are
/// not taken for dead (a member that dies is found in time: <see cref="WorkerCrashTests"/>).
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed partial class FailureDetectionTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<string> _lines = new();
    private NodeProcesses? _nodes;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_nodes is not null) await _nodes.DisposeAsync();
    }

    private async Task<(NodeProcess Seed, string SeedAddress, (NodeProcess Node, string HostPort)[] Workers)> StartClusterAsync()
    {
        _nodes = new NodeProcesses(log, Timeout, (_, line) => _lines.Enqueue(line));
        var (seed, seedAddress) = await _nodes.StartAsync("seed", "seed", "--port", "0");
        var workers = await Task.WhenAll(
            _nodes.StartAsync("worker-1", "worker", "--join", seedAddress),
            _nodes.StartAsync("worker-2", "worker", "--join", seedAddress));
        await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 3 && rows.All(r => r.Contains("│ Up")), Timeout);
        return (seed, seedAddress, workers);
    }

    [Fact]
    public async Task No_member_is_taken_for_dead_while_a_CPU_bound_job_keeps_every_core_busy()
    {
        var (seed, _, workers) = await StartClusterAsync();
        _lines.Clear();

        // About 20 s of sieving on a quiet 2-core machine for two workers with two consumers each; pi(3 * 10^9) is known.
        var clock = Stopwatch.StartNew();
        await seed.SendLineAsync($"submit primes 0 {Limit} --chunk 20000000");
        await seed.WaitForLineAsync(l => l.StartsWith("job 1 accepted", StringComparison.Ordinal), Timeout);
        await seed.SendLineAsync("watch 1");
        var finished = await seed.WaitForLineAsync(l => l.StartsWith("job 1 ", StringComparison.Ordinal) && l.Contains("done,"), TimeSpan.FromSeconds(180));
        var jobTime = clock.Elapsed;
        var during = _lines.ToArray();

        log.WriteLine($"the job took {jobTime.TotalSeconds:0.0} s; heartbeat warnings: {during.Count(l => l.Contains("heartbeat was delayed"))}");
        Assert.StartsWith("job 1 Completed: 150 done, 0 failed", finished);
        Assert.DoesNotContain(during, l => Failure().IsMatch(l));
        Assert.All(workers, w => Assert.False(w.Node.HasExited, $"{w.Node.Name} exited with {(w.Node.HasExited ? w.Node.ExitCode : 0)}"));
        await seed.SendLineAsync("results 1");
        await seed.WaitForLineAsync(l => l.Contains($"{PrimesBelowLimit} primes in [0, {Limit}), largest {LargestPrimeBelow(Limit)}"), Timeout);
        await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 3 && rows.All(r => r.Contains("│ Up") && !r.Contains("unreachable")), Timeout);
    }

    private const long Limit = 3_000_000_000;

    // pi(3 * 10^9), from the published tables of the prime-counting function.
    private const long PrimesBelowLimit = 144_449_537;

    private static long LargestPrimeBelow(long n)
    {
        for (var candidate = n - 1; ; candidate--)
        {
            var prime = candidate > 1;
            for (long d = 2; prime && d * d <= candidate; d++) prime = candidate % d != 0;
            if (prime) return candidate;
        }
    }

    // What Akka and the node log when a member is taken for dead (not the warnings about late heartbeats, which may
    // mention unreachability as a risk).
    [GeneratedRegex(@"Marking node\(s\) as UNREACHABLE|SBR took decision|as \[Down\]|auto-down|was downed|\(unreachable\)|(?i:quarantin)")]
    private static partial Regex Failure();
}

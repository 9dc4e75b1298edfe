using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>
/// A seed and two workers as separate processes; a worker is killed with kill -9 in the middle of a job: the seed finds it
/// unreachable and removes it within seconds, and its tasks run on the other worker.
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class WorkerCrashTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly NodeProcesses _nodes = new(log, Timeout, "-D", "actortasks.log.console=off");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    private Task<(NodeProcess Node, string HostPort)> StartAsync(string name, params string[] arguments) => _nodes.StartAsync(name, arguments);

    // hocon/actortasks.conf: a killed member is unreachable after about 2.5 s and removed within 10 s of the kill. What
    // is measured includes the console's round trips, on a machine that the test's own nodes (and, on a shared machine,
    // others) keep busy: the bounds leave room for that, and the measured times are written to the test's output.
    private static readonly TimeSpan MeasurementSlack = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan UnreachableWithin = TimeSpan.FromSeconds(3) + MeasurementSlack;
    private static readonly TimeSpan RemovedWithin = TimeSpan.FromSeconds(10) + MeasurementSlack;

    [Fact]
    public async Task A_worker_killed_mid_job_is_found_and_removed_within_seconds_and_the_job_ends_with_the_single_threaded_result()
    {
        const int tasks = 200, rounds = 10_000;
        // Computed while the nodes start and run: on two cores it is seconds of work.
        var expected = Task.Run(() => HashDigest.SingleThreaded(tasks, rounds));
        var (seed, seedAddress) = await StartAsync("seed", "seed", "--port", "0");
        var workers = await Task.WhenAll(StartAsync("worker-1", "worker", "--join", seedAddress), StartAsync("worker-2", "worker", "--join", seedAddress));
        var (doomed, doomedAddress) = workers[0];
        await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 3 && rows.All(r => r.Contains("│ Up")), Timeout);

        await seed.SendLineAsync($"submit hash {tasks} --rounds {rounds}");
        await seed.WaitForLineAsync(l => l.StartsWith("job 1 accepted", StringComparison.Ordinal), Timeout);
        // Kill a worker once some tasks are done, while others are in flight on it.
        await SeedConsole.WaitForDoneAsync(seed, "1", 1, Timeout);
        doomed.KillHard();
        var sinceKill = Stopwatch.StartNew();

        TimeSpan? unreachable = null, removed = null;
        while (removed is null)
        {
            var rows = await SeedConsole.MembersAsync(seed, Timeout);
            var row = rows.FirstOrDefault(r => r.Contains($"@{doomedAddress} "));
            if (row is not null && row.Contains("(unreachable)")) unreachable ??= sinceKill.Elapsed;
            if (row is null) removed = sinceKill.Elapsed;
            Assert.True(sinceKill.Elapsed < Timeout, "the killed worker was never removed; last view:\n" + string.Join("\n", rows));
            await Task.Delay(100);
        }
        var timings = string.Create(CultureInfo.InvariantCulture,
            $"the killed worker was seen unreachable {unreachable?.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) ?? "never"} s and removed {removed.Value.TotalSeconds:0.00} s after the kill");
        log.WriteLine(timings);

        await seed.SendLineAsync("watch 1");
        var finished = await seed.WaitForLineAsync(l => l.StartsWith("job 1 ", StringComparison.Ordinal) && l.Contains("done,"), Timeout);
        Assert.Contains("job 1 Completed", finished);
        await seed.SendLineAsync("results 1");
        var digest = await seed.WaitForLineAsync(l => l.TrimStart().StartsWith("digest:", StringComparison.Ordinal), Timeout);

        Assert.Equal(await expected, digest.Split(':', 2)[1].Trim());
        await seed.SendLineAsync("jobs");
        await seed.WaitForLineAsync(l => Regex.IsMatch(l, $@"│\s*1\s*│\s*hash\s*│\s*Completed\s*│\s*{tasks}\s*│\s*0\s*│"), Timeout);
        Assert.True(unreachable < UnreachableWithin, timings);
        Assert.True(removed < RemovedWithin, timings);
    }
}

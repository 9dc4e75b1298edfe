using System.Diagnostics;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using ActorTasks.Tests.Fixtures.Chaos;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>A worker process stopped with SIGTERM leaves the cluster and exits 0, however long the leave takes.</summary>
[Collection(NodeProcessCollection.Name)]
public sealed class GracefulStopTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // The worker gives its leave 10 s and its actor system up to 15 s to stop: beyond that the stop was not graceful.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(40);

    // System.CommandLine's own SIGTERM handler used to end the process this long after the signal, mid-leave, with 143.
    private static readonly TimeSpan CommandLineGrace = TimeSpan.FromSeconds(2);

    // While the seed is frozen the worker must neither see it unreachable nor down itself: it waits for its leave only.
    private static readonly string[] PatientMembers =
    [
        "-D", "akka.cluster.failure-detector.acceptable-heartbeat-pause=120s",
        "-D", "akka.cluster.downing-provider-class=\"\"",
    ];

    private readonly NodeProcesses _nodes = new(log, Timeout, PatientMembers);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    private Task<(NodeProcess Node, string HostPort)> StartAsync(string name, params string[] arguments) => _nodes.StartAsync(name, arguments);

    [Fact]
    public async Task A_worker_whose_leave_outlasts_the_command_line_grace_still_leaves_and_exits_0_on_SIGTERM()
    {
        var (seed, seedAddress) = await StartAsync("seed", "seed", "--port", "0");
        var (worker, _) = await StartAsync("worker-1", "worker", "--join", seedAddress);
        // Up as the seed sees it: the worker's own view holds itself by then, so SIGTERM means a leave.
        await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 2 && rows.All(r => r.Contains("│ Up")), Timeout);

        // A frozen seed cannot confirm the leave, so the worker's graceful stop lasts until its leave timeout (10 s).
        ProcessSignals.Freeze(seed.Id);
        var clock = Stopwatch.StartNew();
        try
        {
            await worker.StopAsync(StopGrace);
        }
        finally
        {
            // Its membership still lists the worker as Leaving, so its own leave could only time out: end it now.
            seed.KillHard();
        }
        var output = string.Join("\n  ", worker.Output);

        Assert.True(worker.ExitCode == 0, $"the worker exited with {worker.ExitCode} {clock.Elapsed.TotalSeconds:0.0} s after SIGTERM:\n  {output}");
        Assert.Contains("leaving the cluster", output);
        Assert.Contains("worker node stopped", output);
        Assert.True(clock.Elapsed > CommandLineGrace, $"the stop took {clock.Elapsed.TotalSeconds:0.0} s: too quick to show that a long leave is waited for");
    }
}

using System.Text.RegularExpressions;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>A seed and two workers as processes: one worker is killed with kill -9, seen unreachable, removed, restarted at its port, Up again.</summary>
[Collection(NodeProcessCollection.Name)]
public sealed class MemberCrashTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly NodeProcesses _nodes = new(log, Timeout, "-D", "actortasks.log.console=off");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    private Task<(NodeProcess Node, string HostPort)> StartAsync(string name, params string[] arguments) => _nodes.StartAsync(name, arguments);

    private static bool Row(IReadOnlyList<string> rows, string hostPort, string status) =>
        rows.Any(r => r.Contains($"@{hostPort}") && Regex.IsMatch(r, $@"│\s*{Regex.Escape(status)}\s*│"));

    [Fact]
    public async Task A_killed_worker_is_seen_unreachable_then_removed_and_rejoins_when_restarted_at_its_port()
    {
        var (seed, seedAddress) = await StartAsync("seed", "seed", "--port", "0");
        var workers = await Task.WhenAll(StartAsync("worker-1", "worker", "--join", seedAddress), StartAsync("worker-2", "worker", "--join", seedAddress));
        var ((doomed, doomedAddress), (_, otherAddress)) = (workers[0], workers[1]);
        await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 3 && rows.All(r => r.Contains("│ Up")), Timeout);

        doomed.KillHard();
        await SeedConsole.WaitForMembersAsync(seed, rows => Row(rows, doomedAddress, "Up (unreachable)"), Timeout);
        var afterRemoval = await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 2, Timeout);
        Assert.True(Row(afterRemoval, otherAddress, "Up"));

        var port = doomedAddress.Split(':')[1];
        await StartAsync("worker-1-again", "worker", "--join", seedAddress, "--port", port);
        await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 3 && Row(rows, doomedAddress, "Up"), Timeout);
    }
}

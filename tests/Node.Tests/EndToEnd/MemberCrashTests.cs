using System.Text.RegularExpressions;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>
/// A worker killed with kill -9: seen unreachable, removed, restarted at its port, Up again; and a seed whose only
/// worker dies goes on alone, whichever of the two has the lower address.
/// </summary>
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

    // Found by the chaos run (seed 24): a seed restarted on its journal that a stray worker had joined, then lost it,
    // downed itself and every job stopped. Two members, one lost, is a tie, which keep-majority gave to the side with
    // the lowest address, here the dead worker's. The seed, which holds every job, must not be what a tie takes away.
    [Fact]
    public async Task A_seed_whose_only_worker_is_killed_goes_on_alone_even_when_the_worker_had_the_lower_address()
    {
        var (lower, higher) = TwoFreePorts();
        var (seed, seedAddress) = await StartAsync("seed", "seed", "--port", higher.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (worker, _) = await StartAsync("worker", "worker", "--join", seedAddress, "--port", lower.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 2 && rows.All(r => r.Contains("│ Up")), Timeout);

        worker.KillHard();
        await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 1, Timeout);
        await seed.SendLineAsync("submit noop 5");
        await seed.WaitForLineAsync(l => l.StartsWith("job 1 accepted", StringComparison.Ordinal), Timeout);
        Assert.False(seed.HasExited, $"the seed exited with {(seed.HasExited ? seed.ExitCode : 0)}");
    }

    // Two ports free now, in order; the worker takes the lower so that a tie would go against the seed.
    private static (int Lower, int Higher) TwoFreePorts()
    {
        var listeners = new[] { new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0), new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0) };
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((System.Net.IPEndPoint)l.LocalEndpoint).Port).Order().ToArray();
        foreach (var l in listeners) l.Stop();
        return (ports[0], ports[1]);
    }
}

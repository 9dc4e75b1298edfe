using System.Text.RegularExpressions;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>
/// TLS with a pinned cluster certificate, as processes: nodes with the cluster's certificate form a cluster and run a
/// job; a node with another certificate (even with the same subject) or with none is refused and never becomes a member,
/// while the seed goes on serving.
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class TlsClusterTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // A refused node may retry for a while, but it must give up on its own.
    private static readonly TimeSpan RefusedExitTimeout = TimeSpan.FromSeconds(30);

    private readonly NodeProcesses _nodes = new(log, Timeout);
    private readonly List<NodeProcess> _refused = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("actortasks-tls-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _refused) await node.DisposeAsync();
        await _nodes.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Only_nodes_with_the_cluster_certificate_join_and_the_seed_serves_throughout()
    {
        var clusterCertificate = TestCertificates.Create(_folder, "cluster");
        var strangerCertificate = TestCertificates.Create(_folder, "stranger"); // the same subject, another key
        string[] withClusterCertificate =
        [
            "-D", $"actortasks.remote.tls.certificate-path={clusterCertificate}",
            "-D", $"actortasks.remote.tls.certificate-password={TestCertificates.Password}",
        ];
        var (seed, seedAddress) = await _nodes.StartAsync("seed", ["seed", "--port", "0", .. withClusterCertificate]);
        Assert.Contains(seed.Output, l => l.StartsWith("seed node up at akka.ssl.tcp://tasks@", StringComparison.Ordinal));

        var stranger = await RefusedAsync("worker-stranger", "worker", "--join", seedAddress, "--tls-cert", strangerCertificate,
            "-D", $"actortasks.remote.tls.certificate-password={TestCertificates.Password}");
        Assert.NotEqual(0, stranger);
        await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 1 && rows[0].Contains("(this node)") && rows[0].Contains("│ Up"), Timeout);

        // A node without TLS is turned away at each attempt; it goes on trying to join (Akka retries every few seconds).
        var plain = NodeProcess.Start("worker-plain", ["worker", "--join", seedAddress], (n, line) => log.WriteLine($"[{n.Name}] {line}"));
        _refused.Add(plain);
        await plain.WaitForLineAsync(l => l.Contains($"Association failed with akka.tcp://tasks@{seedAddress}"), Timeout);
        Assert.DoesNotContain(plain.Output, l => Regex.IsMatch(l, "Welcome from|is JOINING"));
        await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 1 && rows[0].Contains("(this node)") && rows[0].Contains("│ Up"), Timeout);
        await plain.StopAsync(TimeSpan.FromSeconds(10));

        // --tls-cert with the password in the environment, as an operator would start it. The variable is this process's
        // only while the worker starts; other tests' nodes have no certificate, so they would not read it anyway.
        Task<(NodeProcess Node, string HostPort)> starting;
        Environment.SetEnvironmentVariable(NodeSettings.TlsPasswordVariable, TestCertificates.Password);
        try
        {
            starting = _nodes.StartAsync("worker", "worker", "--join", seedAddress, "--tls-cert", clusterCertificate);
        }
        finally
        {
            Environment.SetEnvironmentVariable(NodeSettings.TlsPasswordVariable, null);
        }
        var (_, workerAddress) = await starting;
        await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 2 && rows.Any(r => r.Contains($"@{workerAddress}") && r.Contains("│ Up")), Timeout);

        const int tasks = 100, rounds = 5_000;
        await seed.SendLineAsync($"submit hash {tasks} --rounds {rounds}");
        await seed.WaitForLineAsync(l => l.StartsWith("job 1 accepted", StringComparison.Ordinal), Timeout);
        await seed.SendLineAsync("watch 1");
        var finished = await seed.WaitForLineAsync(l => l.StartsWith("job 1 ", StringComparison.Ordinal) && l.Contains("done,"), Timeout);
        Assert.StartsWith($"job 1 Completed: {tasks} done, 0 failed", finished);
        await seed.SendLineAsync("results 1");
        var digest = await seed.WaitForLineAsync(l => l.TrimStart().StartsWith("digest:", StringComparison.Ordinal), Timeout);
        Assert.Equal(HashDigest.SingleThreaded(tasks, rounds), digest.Split(':', 2)[1].Trim());
    }

    // Starts a node that the seed must refuse and returns its exit code once it has given up.
    private async Task<int> RefusedAsync(string name, params string[] arguments)
    {
        var node = NodeProcess.Start(name, arguments, (n, line) => log.WriteLine($"[{n.Name}] {line}"));
        _refused.Add(node);
        using var limit = new CancellationTokenSource(RefusedExitTimeout);
        try
        {
            await node.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{name} was still running {RefusedExitTimeout.TotalSeconds:0} s after it started:\n  " + string.Join("\n  ", node.Output.TakeLast(30)));
        }
        Assert.DoesNotContain(node.Output, l => Regex.IsMatch(l, "Welcome from|is JOINING"));
        return node.ExitCode;
    }
}

using System.Text.RegularExpressions;
using ActorTasks.Node.Hosting;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.Support;

/// <summary>The node processes one test starts, each with the same extra arguments; all stopped when disposed.</summary>
internal sealed class NodeProcesses(ITestOutputHelper log, TimeSpan timeout, params string[] commonArguments) : IAsyncDisposable
{
    private readonly List<NodeProcess> _nodes = [];

    /// <summary>Starts a node and waits until it is up; returns it with the host:port it listens on.</summary>
    public async Task<(NodeProcess Node, string HostPort)> StartAsync(string name, params string[] arguments)
    {
        var node = NodeProcess.Start(name, [.. arguments, .. commonArguments], (n, line) => log.WriteLine($"[{n.Name}] {line}"), redirectInput: true);
        _nodes.Add(node);
        var up = await node.WaitForLineAsync(l => l.Contains("node up at "), timeout);
        return (node, Regex.Match(up, @"node up at actortasks://tasks@(\S+)").Groups[1].Value);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
    }
}

using System.Text.RegularExpressions;
using ActorTasks.Node.Hosting;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.Support;

/// <summary>The node processes one test starts, each with the same extra arguments; all stopped when disposed.</summary>
internal sealed partial class NodeProcesses : IAsyncDisposable
{
    private readonly List<NodeProcess> _nodes = [];
    private readonly ITestOutputHelper _log;
    private readonly TimeSpan _timeout;
    private readonly Action<NodeProcess, string>? _onLine;
    private readonly string[] _commonArguments;

    public NodeProcesses(ITestOutputHelper log, TimeSpan timeout, params string[] commonArguments)
        : this(log, timeout, null, commonArguments)
    {
    }

    /// <summary>As above, and every output line of every node also goes to <paramref name="onLine"/>.</summary>
    public NodeProcesses(ITestOutputHelper log, TimeSpan timeout, Action<NodeProcess, string>? onLine, params string[] commonArguments)
    {
        _log = log;
        _timeout = timeout;
        _onLine = onLine;
        _commonArguments = commonArguments;
    }

    /// <summary>Starts a node and waits until it is up; returns it with the host:port it listens on.</summary>
    public async Task<(NodeProcess Node, string HostPort)> StartAsync(string name, params string[] arguments)
    {
        var node = NodeProcess.Start(name, [.. arguments, .. _commonArguments], OnLine, redirectInput: true);
        lock (_nodes) _nodes.Add(node);
        // The command's own line, not the log event "[..] Seed node up at ..." that comes just before it.
        var up = await node.WaitForLineAsync(l => UpLine().IsMatch(l), _timeout);
        return (node, UpLine().Match(up).Groups["hostPort"].Value);
    }

    private void OnLine(NodeProcess node, string line)
    {
        _onLine?.Invoke(node, line);
        try
        {
            _log.WriteLine($"{DateTime.Now:HH:mm:ss.fff} [{node.Name}] {line}");
        }
        catch (InvalidOperationException)
        {
            // the test has ended; a node stopping late has nowhere to write
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Workers first, each leaving while the seed still runs; then the seed.
        NodeProcess[] nodes;
        lock (_nodes) nodes = [.. _nodes];
        await Task.WhenAll(nodes.Skip(1).Select(n => n.DisposeAsync().AsTask()));
        if (nodes.Length > 0) await nodes[0].DisposeAsync();
    }

    [GeneratedRegex(@"^(seed|worker) node up at akka(\.ssl)?\.tcp://tasks@(?<hostPort>\S+)$")]
    private static partial Regex UpLine();
}

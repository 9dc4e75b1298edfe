using System.Globalization;
using System.Text.RegularExpressions;
using Akka.Actor;

namespace ActorTasks.Node.Hosting;

/// <summary>A node of a <see cref="LocalCluster"/>: its process and the address it printed when it came up.</summary>
public sealed record ClusterNode(NodeProcess Process, Address Address)
{
    /// <summary>The node's label, e.g. <c>worker-1</c>.</summary>
    public string Name => Process.Name;
}

/// <summary>
/// A seed and workers on this machine, each a child process started with <see cref="NodeProcess"/> (so each ends
/// when this process does, even when it is killed): used by the demo, the end-to-end tests and the benchmarks.
/// Every node's "node up at" line is awaited before it counts as started; disposing stops them all.
/// </summary>
public sealed partial class LocalCluster : IAsyncDisposable
{
    private readonly List<ClusterNode> _workers = [];
    private readonly IReadOnlyList<string> _nodeArguments;
    private readonly Action<NodeProcess, string>? _onLine;
    private readonly TimeSpan _startTimeout;
    private int _workersStarted;

    private LocalCluster(ClusterNode seed, IReadOnlyList<string> nodeArguments, Action<NodeProcess, string>? onLine, TimeSpan startTimeout)
    {
        Seed = seed;
        _nodeArguments = nodeArguments;
        _onLine = onLine;
        _startTimeout = startTimeout;
    }

    /// <summary>The seed; its standard input is a pipe, so its console reads what <see cref="NodeProcess.SendLineAsync"/> writes.</summary>
    public ClusterNode Seed { get; }

    /// <summary>The seed as <c>--join</c> and <c>--seed</c> take it (<c>host:port</c> when printed).</summary>
    public SeedEndpoint SeedEndpoint => new(Seed.Address.Host!, Seed.Address.Port!.Value);

    /// <summary>The workers started so far, in order.</summary>
    public IReadOnlyList<ClusterNode> Workers => _workers;

    /// <summary>
    /// Starts a seed on a free port and then <paramref name="workers"/> workers joining it, all with
    /// <paramref name="nodeArguments"/> (e.g. <c>-D key=value</c>); every output line of every node goes to
    /// <paramref name="onLine"/>. Throws <see cref="TimeoutException"/> (with the node's output) when a node does
    /// not come up within <paramref name="startTimeout"/>; whatever was started is stopped then.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(int workers, IReadOnlyList<string> nodeArguments, Action<NodeProcess, string>? onLine,
        TimeSpan startTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        var seedProcess = NodeProcess.Start("seed", ["seed", "--port", "0", .. nodeArguments], onLine ?? Ignore, redirectInput: true);
        ClusterNode seed;
        try
        {
            seed = new ClusterNode(seedProcess, await WaitUntilUpAsync(seedProcess, "seed", startTimeout, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            await seedProcess.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var cluster = new LocalCluster(seed, nodeArguments, onLine, startTimeout);
        try
        {
            await cluster.AddWorkersAsync(workers, [], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return cluster;
    }

    /// <summary>Starts <paramref name="count"/> more workers at once (with <paramref name="extraArguments"/> after the cluster's) and waits until each is up.</summary>
    public async Task<IReadOnlyList<ClusterNode>> AddWorkersAsync(int count, IReadOnlyList<string> extraArguments, CancellationToken cancellationToken = default)
    {
        var started = new List<NodeProcess>();
        for (var i = 0; i < count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"worker-{++_workersStarted}");
            started.Add(NodeProcess.Start(name, ["worker", "--join", SeedEndpoint.ToString(), .. _nodeArguments, .. extraArguments], _onLine ?? Ignore));
        }
        var nodes = new List<ClusterNode>();
        Exception? failure = null;
        foreach (var process in started)
        {
            try
            {
                var node = new ClusterNode(process, await WaitUntilUpAsync(process, "worker", _startTimeout, cancellationToken).ConfigureAwait(false));
                nodes.Add(node);
                _workers.Add(node);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                failure ??= e;
                await process.DisposeAsync().ConfigureAwait(false);
            }
        }
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return nodes;
    }

    private static async Task<Address> WaitUntilUpAsync(NodeProcess process, string role, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var line = await process.WaitForLineAsync(l => l.StartsWith(role + " node up at ", StringComparison.Ordinal), timeout, cancellationToken)
            .ConfigureAwait(false);
        var match = UpLine().Match(line);
        return Address.Parse(match.Groups["address"].Value);
    }

    /// <summary>Stops the workers (at once, each with a graceful SIGTERM, killed after <paramref name="grace"/>), then the seed.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await Task.WhenAll(_workers.Select(w => StopQuietlyAsync(w.Process, grace))).ConfigureAwait(false);
        await StopQuietlyAsync(Seed.Process, grace).ConfigureAwait(false);
    }

    private static async Task StopQuietlyAsync(NodeProcess process, TimeSpan grace)
    {
        try
        {
            await process.StopAsync(grace).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // already exited and reaped
        }
    }

    /// <summary>Stops every node (see <see cref="StopAsync"/>, 10 s grace) and releases the processes.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        foreach (var worker in _workers) await worker.Process.DisposeAsync().ConfigureAwait(false);
        await Seed.Process.DisposeAsync().ConfigureAwait(false);
    }

    private static void Ignore(NodeProcess process, string line)
    {
    }

    [GeneratedRegex(@"node up at (?<address>\S+)")]
    private static partial Regex UpLine();
}

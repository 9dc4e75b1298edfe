using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Hosting;

namespace ActorTasks.Tests.Fixtures.Chaos;

/// <summary>
/// A seed with an SQLite job journal and workers, each an <c>actortasks</c> process, plus a client node in this process
/// that talks to the seed. Unlike <see cref="LocalCluster"/> its members come and go: a worker is replaced, the seed is
/// started again on its port and journal. Every node's end is either expected (it was killed, stopped, or frozen and
/// thawed so that it must be downed) or counted as a death, with its last lines.
/// </summary>
internal sealed partial class ChaosCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private readonly string[] _nodeArguments;
    private readonly string _journal;
    private readonly Action<string> _log;
    private readonly Action<NodeProcess, string> _onLine;
    private readonly ConcurrentDictionary<NodeProcess, string> _expectedEnds = new();
    private readonly ConcurrentQueue<string> _deaths = new();
    private readonly List<NodeProcess> _all = [];
    // Workers come up while faults go on (a replacement starts in the background): the list is read and changed under a lock.
    private readonly List<NodeProcess> _workers = [];
    private readonly List<Task> _starting = [];
    private int _workersStarted, _seedsStarted;

    private ChaosCluster(string[] nodeArguments, string journal, Action<string> log, Action<NodeProcess, string> onLine)
    {
        _nodeArguments = nodeArguments;
        _journal = journal;
        _log = log;
        _onLine = onLine;
    }

    /// <summary>The seed now running.</summary>
    public NodeProcess Seed { get; private set; } = null!;

    /// <summary>Where the seed listens (the same port across its restarts).</summary>
    public SeedEndpoint SeedEndpoint { get; private set; } = null!;

    /// <summary>A client node (no member) that reaches the seed's job manager; a new one after each seed restart.</summary>
    public NodeHost Client { get; private set; } = null!;

    /// <summary>The workers now counted on (up, and not killed, frozen or stopped).</summary>
    public IReadOnlyList<NodeProcess> Workers
    {
        get
        {
            lock (_workers) return [.. _workers];
        }
    }

    /// <summary>Every node process started, live or not, for their peak memory and threads.</summary>
    public IReadOnlyList<NodeProcess> All => _all;

    /// <summary>Nodes that ended without being told to, each with its exit code and last lines.</summary>
    public IReadOnlyCollection<string> Deaths => _deaths;

    /// <summary>Where each node listens, by process, from its "node up at" line.</summary>
    public ConcurrentDictionary<NodeProcess, SeedEndpoint> Endpoints { get; } = new();

    /// <summary>Starts a seed journaling into <paramref name="journal"/> and <paramref name="workers"/> workers; every node gets <paramref name="nodeArguments"/>.</summary>
    public static async Task<ChaosCluster> StartAsync(int workers, string[] nodeArguments, string journal, Action<string> log, Action<NodeProcess, string> onLine)
    {
        var cluster = new ChaosCluster(nodeArguments, journal, log, onLine);
        try
        {
            await cluster.StartSeedAsync(0);
            await cluster.StartWorkersAsync(workers);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <paramref name="count"/> workers joining the seed and waits until each is up.</summary>
    public async Task StartWorkersAsync(int count)
    {
        var started = Enumerable.Range(0, count).Select(_ =>
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"worker-{Interlocked.Increment(ref _workersStarted)}");
            return Start(name, ["worker", "--join", SeedEndpoint.ToString(), .. _nodeArguments], redirectInput: false);
        }).ToList();
        foreach (var worker in started)
        {
            var endpoint = await UpAsync(worker, "worker");
            await MemberUpAsync(worker, endpoint);
            lock (_workers) _workers.Add(worker);
        }
    }

    // "worker node up at" is printed once the node has asked to join; until the seed sees it Up it is no member to
    // speak of (a Joining node frozen there is never downed: it simply joins once thawed).
    private async Task MemberUpAsync(NodeProcess worker, SeedEndpoint endpoint)
    {
        var address = $"@{endpoint}";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout && !worker.HasExited)
        {
            try
            {
                var report = await Client.Members.Ask<MembersReport>(GetMembers.Instance, TimeSpan.FromSeconds(5));
                if (report.Members.Any(m => m.Address.EndsWith(address, StringComparison.Ordinal) && m.Status == "Up")) return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // the seed is restarting, or busy: ask again
            }
            await Task.Delay(300);
        }
        _log($"{worker.Name} was not seen Up by the seed within {StartTimeout.TotalSeconds:0} s");
    }

    /// <summary>Starts a worker in place of one lost, without waiting for it (a seed restart waits for it first).</summary>
    public void ReplaceWorker()
    {
        lock (_workers) _starting.Add(StartWorkersAsync(1));
    }

    /// <summary>kill -9 of a worker; it is no longer counted on.</summary>
    public void KillWorker(NodeProcess worker)
    {
        ExpectEnd(worker, "killed");
        lock (_workers) _workers.Remove(worker);
        worker.KillHard();
    }

    /// <summary>Freezes a worker (SIGSTOP); it is no longer counted on, and once thawed it must end, downed by the others.</summary>
    public void FreezeWorker(NodeProcess worker)
    {
        ExpectEnd(worker, "downed after a freeze");
        lock (_workers) _workers.Remove(worker);
        ProcessSignals.Freeze(worker.Id);
    }

    /// <summary>Waits for the replacements started so far to be up.</summary>
    public async Task WorkersStartedAsync()
    {
        Task[] starting;
        lock (_workers) starting = [.. _starting];
        await Task.WhenAll(starting);
    }

    /// <summary>
    /// kill -9 of the seed, then the seed again on the same port and journal. A seed restarted at the same address forms
    /// a new cluster that the workers of the old one never join (README, "What is not there yet"), so they are stopped
    /// (SIGTERM, a leave) and as many new ones started; the client is made again too, as one that never spoke to the old
    /// seed. Returns how many workers were restarted (they come up in the background; see <see cref="WorkersStartedAsync"/>).
    /// </summary>
    public async Task<int> RestartSeedAsync()
    {
        // A replacement still joining the old seed could end up in either cluster.
        await WorkersStartedAsync();
        List<NodeProcess> old;
        lock (_workers)
        {
            old = [.. _workers];
            _workers.Clear();
        }
        // From the kill on, the old workers are done for: stopped below, or downed first when their side lost a tie.
        foreach (var worker in old) ExpectEnd(worker, "ended after the seed's restart");
        ExpectEnd(Seed, "killed");
        Seed.KillHard();
        await Seed.WaitForExitAsync();
        await Client.DisposeAsync();
        await StartSeedAsync(SeedEndpoint.Port);
        await Task.WhenAll(old.Select(w => w.StopAsync(StopGrace)));
        for (var i = 0; i < old.Count; i++) ReplaceWorker();
        return old.Count;
    }

    /// <summary>Records that <paramref name="node"/> is meant to end, so its end is not counted as a death.</summary>
    public void ExpectEnd(NodeProcess node, string why) => _expectedEnds[node] = why;

    private async Task StartSeedAsync(int port)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"seed-{++_seedsStarted}");
        var seed = Start(name, ["seed", "--port", port.ToString(CultureInfo.InvariantCulture), "-D", $"actortasks.tasks.journal=\"{_journal}\"", .. _nodeArguments],
            redirectInput: true);
        SeedEndpoint = await UpAsync(seed, "seed");
        Seed = seed;
        Client = await StartClientAsync();
    }

    // A seed that has just printed that it is up may take a while longer to run its job manager on a busy machine.
    private async Task<NodeHost> StartClientAsync()
    {
        var config = NodeConfig.Load(null, null, ["akka.remote.dot-netty.tcp.port=0", "actortasks.log.level=error", "actortasks.log.console=off", "akka.actor.ask-timeout=5s"]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await NodeHost.StartAsync(NodeRole.Client, config, SeedEndpoint, CancellationToken.None);
            }
            catch (NodeStartException e) when (clock.Elapsed < StartTimeout)
            {
                _log($"a client could not reach the seed yet ({e.Message}); trying again");
            }
        }
    }

    private NodeProcess Start(string name, string[] arguments, bool redirectInput)
    {
        var node = NodeProcess.Start(name, arguments, _onLine, redirectInput);
        lock (_all) _all.Add(node); // the list is read by the sampler on another thread
        _ = WatchEndAsync(node);
        return node;
    }

    private async Task<SeedEndpoint> UpAsync(NodeProcess node, string role)
    {
        var line = await node.WaitForLineAsync(l => UpLine().IsMatch(l) && l.StartsWith(role, StringComparison.Ordinal), StartTimeout);
        var match = UpLine().Match(line);
        var endpoint = new SeedEndpoint(match.Groups["host"].Value, int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture));
        Endpoints[node] = endpoint;
        _log($"{node.Name} (pid {node.Id}) up at {endpoint}");
        return endpoint;
    }

    private async Task WatchEndAsync(NodeProcess node)
    {
        await node.WaitForExitAsync();
        if (_expectedEnds.TryGetValue(node, out var why))
        {
            _log($"{node.Name} ended ({why}), exit code {node.ExitCode}");
            return;
        }
        var death = $"{node.Name} (pid {node.Id}) exited with {node.ExitCode} unasked; its last lines:\n    " + string.Join("\n    ", node.Output.TakeLast(30));
        _deaths.Enqueue(death);
        _log(death);
    }

    /// <summary>The node processes still running.</summary>
    public IReadOnlyList<NodeProcess> Running()
    {
        lock (_all) return _all.Where(n => !n.HasExited).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        NodeProcess[] nodes;
        lock (_all) nodes = [.. _all];
        foreach (var node in nodes) ExpectEnd(node, "stopped at the end");
        foreach (var node in nodes.Where(n => !n.HasExited)) ProcessSignals.TryThaw(node.Id);
        if (Client is not null) await Client.DisposeAsync();
        await Task.WhenAll(nodes.Where(n => n != Seed).Select(n => n.DisposeAsync().AsTask()));
        if (Seed is not null) await Seed.DisposeAsync();
    }

    [GeneratedRegex(@"^(seed|worker) node up at akka(\.ssl)?\.tcp://tasks@(?<host>[^:\s]+):(?<port>\d+)$")]
    private static partial Regex UpLine();
}

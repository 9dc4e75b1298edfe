using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Hosting;

namespace ActorTasks.Node.Demo;

/// <summary>What one demo run does: how many workers, whether to keep its working folder, and the configuration it passes on.</summary>
/// <param name="NodeArguments">Configuration arguments (<c>--config</c>, <c>-D</c>) given to every node it starts.</param>
/// <param name="ClientConfig">The configuration of the client node inside the demo's own process.</param>
internal sealed record DemoSettings(int Workers, bool Keep, IReadOnlyList<string> NodeArguments, NodeConfig ClientConfig);

/// <summary>
/// The demo: a seed and N workers as separate OS processes on this machine, a client node in this process that
/// submits a grep, a csv-stats, a primes and an images job to them, each result printed and checked (against a
/// single-threaded computation, or the images written), and every process stopped at the end (or on Ctrl+C). Each node is started with this process's id,
/// so that the nodes also end when the demo is killed.
/// </summary>
internal sealed partial class ClusterDemo
{
    /// <summary>Exit codes: every check passed (0), a job or a check failed (1), interrupted by Ctrl+C or SIGTERM (130).</summary>
    public const int Passed = 0, Failed = 1, Interrupted = 130;

    private const long PrimesTo = 50_000_000, PrimesChunk = 2_000_000;
    private const long CsvRows = 200_000, CsvMalformedEvery = 50_000;
    private const int Images = 24, ImageWidth = 320, ImageHeight = 180;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly DemoSettings _settings;
    private readonly TextWriter _out;
    private readonly string _work;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    // Set once the demo starts stopping its nodes: from then on their log lines are no news.
    private volatile bool _stopping;

    private ClusterDemo(DemoSettings settings, TextWriter output)
    {
        _settings = settings;
        _out = output;
        _work = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"actortasks-demo-{Environment.ProcessId}"));
    }

    /// <summary>Runs the demo; <paramref name="stop"/> (Ctrl+C, SIGTERM) ends it early, still stopping every node.</summary>
    public static Task<int> RunAsync(DemoSettings settings, TextWriter output, CancellationToken stop) =>
        new ClusterDemo(settings, TextWriter.Synchronized(output)).RunAsync(stop);

    private async Task<int> RunAsync(CancellationToken stop)
    {
        Directory.CreateDirectory(_work);
        Line($"ActorTasks demo: a seed and {_settings.Workers} worker node{(_settings.Workers == 1 ? "" : "s")}, each its own OS process on this machine ({Environment.ProcessorCount} cores)");
        Line($"working folder {_work} (generated inputs, node logs){(_settings.Keep ? "" : "; removed at the end")}");
        var inputs = Task.Run(GenerateInputs, CancellationToken.None);
        LocalCluster? cluster = null;
        NodeHost? client = null;
        try
        {
            Line("");
            Line("starting the nodes: actortasks seed --port 0, then actortasks worker --join <seed> for each worker");
            var logs = $"\"{Path.Combine(_work, "logs").Replace("\\", "\\\\", StringComparison.Ordinal)}\"";
            cluster = await LocalCluster.StartAsync(_settings.Workers, [.. _settings.NodeArguments, "-D", $"actortasks.log.file-directory={logs}"],
                OnNodeLine, StartTimeout, stop);
            Node(cluster.Seed, "the job manager lives here");
            foreach (var worker in cluster.Workers) Node(worker, $"joined {cluster.SeedEndpoint}");
            client = await NodeHost.StartAsync(NodeRole.Client, _settings.ClientConfig, cluster.SeedEndpoint, stop);
            _names[client.Address.ToString()] = "demo";
            Line($"  this demo joins as a client from {client.Address} and submits {DemoChecks.Jobs} jobs to the seed");

            var (tree, csv, images) = await inputs.WaitAsync(stop);
            var runner = new DemoJobRunner(client, _out, NameOf);
            var checks = new DemoChecks(runner, _out);
            var passed = await checks.GrepAsync(tree, stop);
            passed &= await checks.CsvStatsAsync(csv, stop);
            passed &= await checks.PrimesAsync(PrimesTo, PrimesChunk, stop);
            passed &= await checks.ImagesAsync(images, Path.Combine(_work, "thumbnails"), ImageWidth, ImageHeight, stop);
            Line("");
            Line(passed
                ? "all four results pass their checks"
                : "a result did NOT pass its check (see above)");
            return passed ? Passed : Failed;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Line("");
            Line("interrupted: stopping the nodes");
            return Interrupted;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException or System.Net.Sockets.SocketException or NodeStartException)
        {
            Line("");
            Line($"the demo failed: {e.Message}");
            return Failed;
        }
        finally
        {
            _stopping = true;
            if (client is not null) await client.DisposeAsync();
            if (cluster is not null) await StopAsync(cluster);
            await inputs.ContinueWith(_ => { }, TaskScheduler.Default);
            if (!_settings.Keep) DeleteWorkingFolder();
        }
    }

    private (DemoData.LogTree Tree, DemoData.CsvFile Csv, DemoData.ImageSet Images) GenerateInputs()
    {
        var tree = DemoData.WriteLogTree(Path.Combine(_work, "services"), services: 10, days: 30, seed: 42);
        var csv = DemoData.WriteCsv(Path.Combine(_work, "requests.csv"), CsvRows, seed: 7, malformedEvery: CsvMalformedEvery);
        var images = DemoData.WriteImages(Path.Combine(_work, "photos"), Images, 1280, 720, seed: 3);
        return (tree, csv, images);
    }

    private async Task StopAsync(LocalCluster cluster)
    {
        Line("");
        Line("stopping the nodes (SIGTERM: each leaves and exits)");
        var clock = Stopwatch.StartNew();
        await cluster.StopAsync(StopGrace);
        foreach (var node in cluster.Workers.Prepend(cluster.Seed))
            Line($"  {node.Name,-9} pid {node.Process.Id,-7} {(node.Process.HasExited ? $"exited with {node.Process.ExitCode}" : "still running")}");
        Line($"  all stopped in {clock.Elapsed.TotalSeconds:0.0} s");
        await cluster.DisposeAsync();
    }

    private void Node(ClusterNode node, string note)
    {
        _names[node.Address.ToString()] = node.Name;
        Line($"  {node.Name,-9} pid {node.Process.Id,-7} up at {node.Address}  ({note})");
    }

    // The nodes log to files; only their warnings and errors are news here.
    private void OnNodeLine(NodeProcess node, string line)
    {
        if (_stopping) return;
        if (NodeProblem().IsMatch(line)) Line($"  [{node.Name}] {line}");
    }

    private string NameOf(string address) => _names.TryGetValue(address, out var name) ? name : address;

    private void DeleteWorkingFolder()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Line($"could not remove {_work}: {e.Message}");
        }
    }

    private void Line(string text) => _out.WriteLine(text);

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d (WRN|ERR|FTL)\]")]
    private static partial Regex NodeProblem();
}

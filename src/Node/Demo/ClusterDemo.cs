using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ActorTasks.Actor;
using ActorTasks.Hocon;
using ActorTasks.Messages;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Jobs;

namespace ActorTasks.Node.Demo;

/// <summary>
/// The demo: a seed and N workers as separate OS processes on this machine, then three jobs on that cluster — a grep
/// over generated logs, csv-stats over a generated CSV, and a primes count checked against a single-threaded
/// count — submitted by this process as a client. Every node is stopped at the end, on Ctrl+C, or (through
/// --parent-pid) when this process dies.
/// </summary>
internal sealed partial class ClusterDemo(TextWriter output, int workers, CancellationToken cancellationToken)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private const int PrimesLimit = 5_000_000;
    private readonly List<NodeProcess> _nodes = [];

    [GeneratedRegex(@"node up at (actortasks://\S+)")]
    private static partial Regex NodeUp();

    [GeneratedRegex(@"│\s*Up\s*│")]
    private static partial Regex UpRow();

    public async Task<int> RunAsync()
    {
        output.WriteLine($"ActorTasks demo: a seed and {workers} worker{(workers == 1 ? "" : "s")} as separate processes on this machine ({Environment.ProcessorCount} cores)");
        using var data = new DemoData();
        try
        {
            var (seed, seedLine) = await StartNodeAsync("seed", ["seed", "--port", "0"]);
            var seedAddress = Address.Parse(NodeUp().Match(seedLine).Groups[1].Value);
            for (var i = 1; i <= workers; i++)
                await StartNodeAsync($"worker-{i}", ["worker", "--join", $"{seedAddress.Host}:{seedAddress.Port}"]);
            await WaitForMembersAsync(seed, workers + 1);

            var config = ConfigFactory.ParseString("actortasks { actor.provider = remote, log.level = warning, log.console = off }");
            await using var client = await NodeHost.StartAsync(NodeRole.Client, config, seedAddress, cancellationToken);
            var jobs = new JobCommands(client.System, client.JobManager, client.ResourceManager, TimeSpan.FromSeconds(30));

            var grep = await RunJobAsync(jobs, "grep", ["ERROR", data.LogTree, "--glob", "*.log"]);
            var csv = await RunJobAsync(jobs, "csv-stats", [data.Csv, "--column", "price"]);
            var primes = await RunJobAsync(jobs, "primes", ["0", PrimesLimit.ToString(CultureInfo.InvariantCulture), "--chunk", "250000"]);
            var ok = grep?.State == JobState.Completed && csv?.State == JobState.Completed
                && primes?.State == JobState.Completed && CheckPrimes(primes);
            output.WriteLine();
            output.WriteLine(ok ? "demo finished: all three jobs completed" : "demo finished with a problem (see above)");
            return ok ? 0 : 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine("demo interrupted; stopping the nodes");
            return 130;
        }
        finally
        {
            await StopNodesAsync();
        }
    }

    private async Task<(NodeProcess Node, string Line)> StartNodeAsync(string name, string[] arguments)
    {
        // The nodes log to their files only; their console output is the few lines they print for people.
        string[] quiet = ["-D", "actortasks.log.console=off"];
        var node = NodeProcess.Start(name, [.. arguments, .. quiet], (_, _) => { }, redirectInput: true);
        _nodes.Add(node);
        var line = await node.WaitForLineAsync(l => NodeUp().IsMatch(l), StartTimeout, cancellationToken);
        output.WriteLine($"  {name} up at {NodeUp().Match(line).Groups[1].Value} (pid {node.Id})");
        return (node, line);
    }

    // Asks the seed's console for the members until every node is Up: the cluster has formed.
    private async Task WaitForMembersAsync(NodeProcess seed, int expected)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await seed.SendLineAsync("nodes");
            var up = 0;
            string line;
            do
            {
                line = await seed.WaitForLineAsync(l => l.Contains('│') || l.StartsWith("leader:", StringComparison.Ordinal), StartTimeout, cancellationToken);
                if (UpRow().IsMatch(line)) up++;
            }
            while (!line.StartsWith("leader:", StringComparison.Ordinal));
            if (up == expected)
            {
                output.WriteLine($"  the cluster has formed: {up} members Up, {line}");
                return;
            }
            if (waited.Elapsed > StartTimeout) throw new TimeoutException($"only {up} of {expected} nodes were Up after {StartTimeout.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        }
    }

    private async Task<JobFinished?> RunJobAsync(JobCommands jobs, string kind, string[] arguments)
    {
        output.WriteLine();
        output.WriteLine($"> submit {kind} {string.Join(' ', arguments.Select(a => a.Contains(' ') || a.Contains('*') ? $"'{a}'" : a))}");
        var answer = await jobs.SubmitAsync(kind, arguments, JobOptions.Default, cancellationToken);
        if (answer is JobRejected rejected)
        {
            output.WriteLine($"  rejected: {JobCommands.Rejection(rejected)}");
            return null;
        }
        var id = ((JobAccepted)answer).JobId;
        var finished = await jobs.WatchAsync(id, output, cancellationToken);
        if (finished is null) return null;
        output.WriteLine($"  job {id} {finished.State}: {finished.Done:N0} tasks in {finished.Elapsed.TotalSeconds:0.00} s");
        foreach (var (key, value) in finished.Summary) output.WriteLine($"    {key}: {value}");
        foreach (var line in finished.Lines.Take(5)) output.WriteLine($"    {line}");
        if (finished.Lines.Count > 5) output.WriteLine($"    ... {finished.Lines.Count - 5:N0} more lines");
        return finished;
    }

    private bool CheckPrimes(JobFinished primes)
    {
        var reported = primes.Summary.FirstOrDefault(kv => kv.Key == "count").Value;
        var sw = Stopwatch.StartNew();
        var expected = DemoData.CountPrimesBelow(PrimesLimit);
        var same = long.TryParse(reported, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count == expected;
        output.WriteLine($"  single-threaded check: {expected:N0} primes below {PrimesLimit:N0} in {sw.ElapsedMilliseconds} ms -> {(same ? "same answer" : "MISMATCH")}");
        return same;
    }

    private async Task StopNodesAsync()
    {
        // Workers first (each leaves the cluster gracefully on SIGTERM), then the seed.
        foreach (var node in Enumerable.Reverse(_nodes)) await node.DisposeAsync();
        if (_nodes.Count > 0) output.WriteLine($"stopped {_nodes.Count} node processes");
    }
}

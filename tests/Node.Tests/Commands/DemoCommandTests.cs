using System.CommandLine;
using System.Text.RegularExpressions;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Xunit;

namespace ActorTasks.Node.Tests.Commands;

/// <summary><c>actortasks demo</c>: what it refuses before starting any process, a full run, and a run killed with kill -9.</summary>
[Collection(NodeProcessCollection.Name)]
public sealed partial class DemoCommandTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    /// <summary>How long the nodes of a killed demo may take to notice and end.</summary>
    private static readonly TimeSpan OrphanLifetime = TimeSpan.FromSeconds(20);

    private static async Task<(int ExitCode, string Output, string Error)> RunInProcessAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Cli.CreateRootCommand().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("actortasks.tasks.prefetch=fast", "actortasks.tasks.prefetch: expected a whole number, got \"fast\"")]
    [InlineData("actortasks.tasks.prefetch=0", "actortasks.tasks.prefetch: must be at least 1 but is 0")]
    [InlineData("actortasks.log.level=chatty", "got \"chatty\"")]
    [InlineData("akka.cluster.failure-detector.heartbeat-interval=soon", "expected a duration")]
    public async Task A_bad_setting_stops_the_demo_before_it_starts_any_node_with_exit_code_2(string define, string problem)
    {
        var (exit, output, error) = await RunInProcessAsync("demo", "-D", define);
        Assert.Equal(2, exit);
        Assert.Contains($"-D {define}", error);
        Assert.Contains(problem, error);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("9")]
    public async Task A_worker_count_out_of_range_is_refused_naming_the_option(string workers)
    {
        var (exit, output, error) = await RunInProcessAsync("demo", "--workers", workers);
        Assert.Equal(2, exit);
        Assert.Equal($"--workers: expected 1 to 8 worker nodes, not {workers}", error.Trim());
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Demo_runs_four_jobs_on_separate_processes_checks_them_and_stops_every_node()
    {
        await using var demo = NodeProcess.Start("demo", ["demo", "--workers", "1"], (_, _) => { });
        using (var limit = new CancellationTokenSource(RunTimeout))
            await demo.WaitForExitAsync(limit.Token);
        var output = demo.Output;
        var text = string.Join('\n', output);

        Assert.True(demo.ExitCode == 0, $"exit {demo.ExitCode}:\n{text}");
        Assert.Contains("-> the same lines", text);
        Assert.Contains("-> the same statistics", text);
        Assert.Contains("-> the same answer", text);
        Assert.Contains("-> every image, at the size asked for", text);
        Assert.Contains("all four results pass their checks", text);
        var nodes = NodePids(output);
        Assert.Equal(["seed", "worker-1"], nodes.Keys.Order());
        foreach (var (name, pid) in nodes)
        {
            Assert.Matches($@"^  {name} +pid {pid} +exited with 0$", output.Single(l => l.StartsWith($"  {name} ", StringComparison.Ordinal) && l.Contains("exited")));
            Assert.True(ProcessExit.HasEnded(pid), $"{name} (pid {pid}) is still running after the demo ended");
        }
        Assert.False(Directory.Exists(WorkingFolder(output)), "the demo left its working folder behind");
    }

    [Fact]
    public async Task The_nodes_of_a_demo_killed_with_kill_9_end_by_themselves()
    {
        await using var demo = NodeProcess.Start("demo", ["demo", "--workers", "1"], (_, _) => { });
        string? folder = null;
        try
        {
            // Mid-run: every node is up and the first job is on its way.
            await demo.WaitForLineAsync(l => l.Contains("job 1 accepted", StringComparison.Ordinal), StartTimeout);
            folder = WorkingFolder(demo.Output);
            var nodes = NodePids(demo.Output);
            Assert.Equal(2, nodes.Count);

            demo.KillProcessOnly(); // the demo alone: its nodes are not told, they must notice that their parent is gone
            await demo.WaitForExitAsync();

            foreach (var (name, pid) in nodes)
            {
                var ended = await Record.ExceptionAsync(() => ProcessExit.WaitAsync(pid, OrphanLifetime));
                Assert.True(ended is null, $"{name} (pid {pid}) was still running {OrphanLifetime.TotalSeconds:0} s after the demo was killed");
            }
        }
        finally
        {
            // A killed demo cannot clean up after itself.
            if (folder is not null && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, int> NodePids(IEnumerable<string> output) =>
        output.Select(l => UpLine().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups["name"].Value, m => int.Parse(m.Groups["pid"].Value));

    private static string WorkingFolder(IEnumerable<string> output) =>
        WorkingFolderLine().Match(output.First(l => l.StartsWith("working folder ", StringComparison.Ordinal))).Groups["path"].Value;

    [GeneratedRegex(@"^  (?<name>seed|worker-\d+) +pid (?<pid>\d+) +up at ")]
    private static partial Regex UpLine();

    [GeneratedRegex(@"^working folder (?<path>\S+) ")]
    private static partial Regex WorkingFolderLine();
}

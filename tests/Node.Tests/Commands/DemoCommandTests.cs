using System.CommandLine;
using Xunit;

namespace ActorTasks.Node.Tests.Commands;

public sealed class DemoCommandTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Cli.CreateRootCommand().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Demo_runs_three_jobs_on_a_cluster_of_separate_processes_and_checks_the_primes_count()
    {
        var (exit, output, error) = await RunAsync("demo", "--workers", "1");
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("the cluster has formed: 2 members Up", output);
        Assert.Contains("matches: 126", output);          // the generated logs hold 126 ERROR lines
        Assert.Contains("count: 200000", output);         // the generated CSV has 200,000 rows
        Assert.Contains("348,513 primes below 5,000,000", output);
        Assert.Contains("same answer", output);
        Assert.Contains("stopped 2 node processes", output);
    }

    [Fact]
    public async Task Killing_the_demo_with_kill_9_leaves_no_node_process_behind()
    {
        var pids = new System.Collections.Concurrent.ConcurrentBag<int>();
        await using var demo = ActorTasks.Node.Hosting.NodeProcess.Start("demo", ["demo", "--workers", "1"], (_, line) =>
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"\(pid (\d+)\)");
            if (m.Success) pids.Add(int.Parse(m.Groups[1].Value));
        });
        await demo.WaitForLineAsync(l => l.Contains("worker-1 up at"), TimeSpan.FromSeconds(60));
        Assert.Equal(2, pids.Count);

        demo.KillProcessOnly(); // the demo only: its nodes must notice and end by themselves
        await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var pid in pids)
        {
            System.Diagnostics.Process node;
            try
            {
                node = System.Diagnostics.Process.GetProcessById(pid);
            }
            catch (ArgumentException)
            {
                continue; // already gone
            }
            using (node)
            {
                var exited = node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
                try
                {
                    await exited;
                }
                catch (TimeoutException)
                {
                    Assert.Fail($"node process {pid} still runs 20 s after its demo was killed");
                }
            }
        }
    }

    [Theory]
    [InlineData("actortasks.actor.throughput=fast", "expected an int but found string \"fast\"")]
    [InlineData("actortasks.actor.throughput=0", "must be at least 1 but is 0")]
    [InlineData("actortasks.log.level=chatty", "found 'chatty'")]
    public async Task A_bad_runtime_setting_stops_the_demo_before_it_starts_with_exit_code_2(string define, string problem)
    {
        var (exit, output, error) = await RunAsync("demo", "-D", define);
        Assert.Equal(2, exit);
        Assert.Contains($"-D {define}", error);
        Assert.Contains(problem, error);
        Assert.DoesNotContain("seed up at", output);
    }

    [Fact]
    public async Task Bad_demo_arguments_are_refused_naming_them()
    {
        var (exit, _, error) = await RunAsync("demo", "--workers", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--workers", error);
    }
}

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
    public async Task Demo_survives_the_injected_crash_and_matches_the_single_threaded_count()
    {
        var (exit, output, error) = await RunAsync("demo", "--limit", "20000", "--chunk", "1000", "--workers", "3");
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("primes below 20,000: 2,262", output);
        // The crashed chunk is retried; on a loaded machine a slow chunk may be retried too (and counted once).
        var retried = int.Parse(System.Text.RegularExpressions.Regex.Match(output, @"\((\d+) retried\)").Groups[1].Value);
        Assert.InRange(retried, 1, 20);
        Assert.Contains("same answer", output);
    }

    [Theory]
    [InlineData("actortasks.actor.throughput=fast", "expected an int but found string \"fast\"")]
    [InlineData("actortasks.actor.throughput=0", "must be at least 1 but is 0")]
    [InlineData("actortasks.log.level=chatty", "found 'chatty'")]
    public async Task A_bad_runtime_setting_stops_the_demo_before_it_starts_with_exit_code_2(string define, string problem)
    {
        var (exit, output, error) = await RunAsync("demo", "--limit", "1000", "-D", define);
        Assert.Equal(2, exit);
        Assert.Contains($"-D {define}", error);
        Assert.Contains(problem, error);
        Assert.DoesNotContain("counting primes", output);
    }

    [Fact]
    public async Task Bad_demo_arguments_are_refused_naming_them()
    {
        var (exit, _, error) = await RunAsync("demo", "--workers", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--workers", error);
    }
}

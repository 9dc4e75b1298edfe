using ActorTasks.Node.Console;
using ActorTasks.Node.Jobs;
using ActorTasks.Tasks;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.JobKinds;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.Jobs;

/// <summary>The seed console's job commands against a task system in this process.</summary>
public sealed class JobCommandsTests(ITestOutputHelper output) : TestKit(TaskSystemConfig.Reference, output: output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private async Task<string> RunScriptAsync(string script)
    {
        var actors = TaskSystem.StartLocal(Sys, JobKindRegistry.CreateBuiltIn(), TaskSystemSettings.Default);
        var commands = new JobCommands(Sys, actors.JobManager, actors.ResourceManager, TimeSpan.FromSeconds(10));
        var output = new StringWriter();
        var console = new NodeConsole(new StringReader(script), output, interactive: false);
        foreach (var command in commands.All) console.Add(command);
        await console.RunAsync(CancellationToken.None).WaitAsync(Timeout);
        return output.ToString();
    }

    [Fact]
    public async Task Submit_answers_with_an_id_and_watch_then_results_show_the_finished_job()
    {
        var output = await RunScriptAsync("submit primes 0 100000 --chunk 10000\nwatch 1\nwait 1\nresults 1\njobs\nstatus 1\n");
        Assert.Contains("job 1 accepted (primes)", output);
        Assert.Contains("job 1 Completed: 10 done, 0 failed", output);
        Assert.Contains("9,592", output.Replace("9592", "9,592")); // primes below 100,000
        Assert.Contains("primes 0 100000 --chunk 10000: Completed, 10 done, 0 failed of 10", output);
    }

    [Fact]
    public async Task Bad_job_arguments_and_unknown_kinds_are_refused_naming_the_argument()
    {
        var output = await RunScriptAsync("submit primes 10 5\nsubmit no-such-kind x\nsubmit grep \"(\" .\nsubmit\n");
        Assert.Contains("rejected: TO: must be greater than FROM", output);
        Assert.Contains("rejected: KIND: unknown job kind 'no-such-kind'; known kinds: csv-stats, download, grep", output);
        Assert.Contains("rejected: PATTERN: Invalid pattern '('", output);
        Assert.Contains("submit: KIND is missing", output);
    }

    [Fact]
    public async Task Results_to_a_file_write_every_line_and_unknown_ids_are_reported()
    {
        var file = Path.Combine(Path.GetTempPath(), $"actortasks-results-{Guid.NewGuid():N}.txt");
        var dir = Directory.CreateTempSubdirectory("actortasks-grep-");
        try
        {
            for (var i = 0; i < 5; i++) await File.WriteAllLinesAsync(Path.Combine(dir.FullName, $"f{i}.log"), ["ok", $"ERROR {i}", "ok"]);
            var output = await RunScriptAsync($"submit grep ERROR \"{dir.FullName}\"\nwait 1\nresults 1 --out \"{file}\"\nresults 99\ncancel 1\n");
            Assert.Contains($"wrote 5 lines to {file}", output);
            var lines = await File.ReadAllLinesAsync(file);
            Assert.Equal(5, lines.Length);
            Assert.All(lines, l => Assert.Contains(":2:ERROR", l));
            Assert.Contains("no job '99'", output);
            Assert.Contains("job 1 had already finished (Completed)", output);
        }
        finally
        {
            File.Delete(file);
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "grep", "x", ".", "--fail-fast", "--max-retries", "2" }, "grep", new[] { "x", "." }, true, 2)]
    [InlineData(new[] { "noop", "5" }, "noop", new[] { "5" }, false, null)]
    public void Submit_options_are_taken_out_of_the_job_arguments(string[] words, string kind, string[] arguments, bool failFast, int? retries)
    {
        var parsed = JobCommands.ParseSubmit(words);
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(arguments, parsed.Arguments);
        Assert.Equal((failFast, retries), (parsed.Options.FailFast, parsed.Options.MaxRetries));
    }

    [Fact]
    public void A_bad_max_retries_is_refused_naming_the_option() =>
        Assert.StartsWith("--max-retries", Assert.Throws<ArgumentException>(() => JobCommands.ParseSubmit(["noop", "5", "--max-retries", "many"])).Message);
}

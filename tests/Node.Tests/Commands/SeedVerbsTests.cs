using System.CommandLine;
using System.Text.Json;
using ActorTasks.Node.Commands;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.Commands;

/// <summary>The console's commands as CLI verbs (and <c>submit</c>) against a seed in this process: output, <c>--json</c> and exit codes.</summary>
public sealed class SeedVerbsTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _logs = Directory.CreateTempSubdirectory("actortasks-verbs-").FullName;
    private NodeHost? _seed;

    private string Seed => InProcessNodes.Endpoint(_seed!).ToString();

    public async Task InitializeAsync()
    {
        _seed = await NodeHost.StartAsync(NodeRole.Seed, InProcessNodes.Config("seed", _logs, "actortasks.tasks.run-consumers = on"), null, CancellationToken.None);
        await InProcessNodes.WhenUpAsync(_seed).WaitAsync(Timeout);
    }

    public async Task DisposeAsync()
    {
        if (_seed is not null) await _seed.DisposeAsync();
        Directory.Delete(_logs, recursive: true);
    }

    public sealed record Result(int Exit, string Output, string Error);

    /// <summary>Runs <c>actortasks ARGS</c> in this process, as the executable parses it, with the client's logs in the test's folder.</summary>
    private async Task<Result> RunAsync(params string[] args)
    {
        string[] line = [args[0], "-D", "actortasks.log.console = off", "-D", $"actortasks.log.file-directory = \"{InProcessNodes.Escape(_logs)}\"", .. args[1..]];
        var output = new StringWriter();
        var error = new StringWriter();
        var parsed = Cli.CreateRootCommand().Parse(SubmitCommand.SeparateJobWords(line));
        Assert.Empty(parsed.Errors);
        var configuration = Cli.CreateInvocationConfiguration();
        configuration.Output = output;
        configuration.Error = error;
        var exit = await parsed.InvokeAsync(configuration).WaitAsync(Timeout);
        log.WriteLine($"$ actortasks {string.Join(' ', args)}\nexit {exit}\nstdout: {output}\nstderr: {error}");
        return new Result(exit, output.ToString(), error.ToString());
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public async Task A_finished_job_is_listed_shown_and_its_results_written_by_the_verbs_as_text_and_as_json()
    {
        var submitted = await RunAsync("submit", "noop", "50", "--seed", Seed, "--wait", "--json");
        Assert.Equal(0, submitted.Exit);
        var document = Json(submitted.Output);
        var id = document.GetProperty("jobId").GetString()!;
        Assert.Equal("Completed", document.GetProperty("state").GetString());
        Assert.Equal("yes", document.GetProperty("summary").GetProperty("exact").GetString());
        Assert.Equal(50, document.GetProperty("done").GetInt64());
        Assert.Contains($"job {id} accepted", submitted.Error);

        var jobs = await RunAsync("jobs", "--seed", Seed, "--json");
        Assert.Equal(0, jobs.Exit);
        Assert.Contains(Json(jobs.Output).GetProperty("jobs").EnumerateArray(), j => j.GetProperty("jobId").GetString() == id && j.GetProperty("kind").GetString() == "noop");
        var table = await RunAsync("jobs", "--seed", Seed);
        Assert.Contains("noop", table.Output);
        Assert.Contains("Completed", table.Output);

        var status = await RunAsync("status", id, "--seed", Seed, "--json");
        Assert.Equal(0, status.Exit);
        Assert.Equal(50, Json(status.Output).GetProperty("total").GetInt64());
        Assert.Contains($"{id} noop 50: Completed, 50 done, 0 failed of 50", (await RunAsync("status", id, "--seed", Seed)).Output);

        var results = await RunAsync("results", id, "--seed", Seed, "--json");
        Assert.Equal(0, results.Exit);
        Assert.Equal("50 of 50 tasks, sum 1225 (exact)", Assert.Single(Json(results.Output).GetProperty("lines").EnumerateArray()).GetString());
        var file = Path.Combine(_logs, "results.txt");
        var written = await RunAsync("results", id, "--seed", Seed, "--out", file);
        Assert.Equal(0, written.Exit);
        Assert.Equal(["50 of 50 tasks, sum 1225 (exact)"], await File.ReadAllLinesAsync(file));

        var watched = await RunAsync("watch", id, "--seed", Seed);
        Assert.Equal(0, watched.Exit);
        Assert.Contains($"job {id} Completed: 50 done, 0 failed", watched.Output);
    }

    [Fact]
    public async Task A_cancelled_job_makes_watch_and_status_exit_3_and_an_unknown_id_exits_2_naming_it()
    {
        var submitted = await RunAsync("submit", "noop", "1000000000", "--seed", Seed, "--json");
        Assert.Equal(0, submitted.Exit);
        var id = Json(submitted.Output).GetProperty("jobId").GetString()!;

        var cancelled = await RunAsync("cancel", id, "--seed", Seed);
        Assert.Equal(0, cancelled.Exit);
        Assert.Contains($"job {id} is being cancelled", cancelled.Output);
        Assert.Equal(3, (await RunAsync("watch", id, "--seed", Seed)).Exit);
        var status = await RunAsync("status", id, "--seed", Seed, "--json");
        Assert.Equal(3, status.Exit);
        Assert.Equal("Cancelled", Json(status.Output).GetProperty("state").GetString());

        foreach (var verb in new[] { "status", "cancel", "results", "watch" })
        {
            var unknown = await RunAsync(verb, "99", "--seed", Seed);
            Assert.Equal(2, unknown.Exit);
            Assert.Contains("no job '99'", unknown.Output + unknown.Error);
        }
    }

    [Fact]
    public async Task Nodes_and_resources_show_the_seeds_view_of_the_cluster()
    {
        var nodes = await RunAsync("nodes", "--seed", Seed, "--json");
        Assert.Equal(0, nodes.Exit);
        var document = Json(nodes.Output);
        var self = _seed!.Address.ToString();
        Assert.Equal(self, document.GetProperty("reportedBy").GetString());
        Assert.Equal(self, document.GetProperty("leader").GetString());
        var member = Assert.Single(document.GetProperty("members").EnumerateArray());
        Assert.Equal("Up", member.GetProperty("status").GetString());
        Assert.Contains("seed", member.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var table = await RunAsync("nodes", "--seed", Seed);
        Assert.Contains(self, table.Output);
        Assert.Contains($"leader: {self}", table.Output);

        var resources = await RunAsync("resources", "--seed", Seed);
        Assert.Equal(0, resources.Exit);
    }

    [Theory]
    [InlineData("jobs")]
    [InlineData("status", "1")]
    [InlineData("watch", "1")]
    [InlineData("cancel", "1")]
    [InlineData("results", "1")]
    [InlineData("nodes")]
    [InlineData("resources")]
    public async Task Every_verb_exits_1_naming_a_seed_that_is_not_there(params string[] verb)
    {
        var seed = $"127.0.0.1:{InProcessNodes.FreePort()}";
        var result = await RunAsync([.. verb, "--seed", seed]);
        Assert.Equal(1, result.Exit);
        Assert.Contains($"could not reach the seed at akka.tcp://tasks@{seed}", result.Error);
        Assert.Equal("", result.Output);
    }

    [Theory]
    [InlineData("--seed: expected HOST:PORT such as 127.0.0.1:4053, not 'nowhere'", "status", "1", "--seed", "nowhere")]
    [InlineData("--out: the folder /nonexistent/dir does not exist", "results", "1", "--seed", "127.0.0.1:1", "--out", "/nonexistent/dir/x")]
    [InlineData("--out, --json: choose one", "results", "1", "--seed", "127.0.0.1:1", "--out", "x", "--json")]
    public async Task Bad_arguments_exit_2_naming_them_before_anything_connects(string message, params string[] args)
    {
        var result = await RunAsync(args);
        Assert.Equal(2, result.Exit);
        Assert.StartsWith(message, result.Error);
    }

    [Fact]
    public void A_verb_without_its_job_id_does_not_parse_and_exits_2()
    {
        var error = new StringWriter();
        Assert.Equal(2, Cli.Run(["status", "--seed", "127.0.0.1:1"], error));
        Assert.Contains("ID", error.ToString());
    }
}

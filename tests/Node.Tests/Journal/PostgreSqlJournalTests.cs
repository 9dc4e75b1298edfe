using System.Diagnostics;
using ActorTasks.Messages;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Npgsql;
using Xunit;

namespace ActorTasks.Node.Tests.Journal;

/// <summary>
/// The journal's contract on PostgreSQL (<c>actortasks.tasks.journal-postgresql</c>), a database of its own per test,
/// and what a seed does when the database is not there or goes away. The server is the one
/// <c>scripts/test-postgres start</c> makes (.ci/run does): its connection string in <c>ACTORTASKS_TEST_POSTGRES</c>,
/// its folder in <c>ACTORTASKS_TEST_POSTGRES_DIR</c>. Without them, the tests that need a server are reported skipped,
/// saying how to run them. The tests share the server, and one of them stops it for a while: they run in the collection
/// of the process tests, the other users of the server, never beside them.
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class PostgreSqlJournalTests : JournalContract
{
    private static readonly string? Server = Environment.GetEnvironmentVariable("ACTORTASKS_TEST_POSTGRES") is { Length: > 0 } s ? s : null;
    private static readonly string? ServerFolder = Environment.GetEnvironmentVariable("ACTORTASKS_TEST_POSTGRES_DIR") is { Length: > 0 } d ? d : null;
    private const string NoServer = "no PostgreSQL for the tests: ACTORTASKS_TEST_POSTGRES is not set (eval \"$(scripts/test-postgres start)\" starts one; .ci/run does)";

    private readonly List<string> _databases = [];

    protected override async Task<string> NewJournalAsync()
    {
        Skip.If(Server is null, NoServer);
        var name = $"actortasks_test_{Guid.NewGuid():N}";
        await AdminAsync($"CREATE DATABASE {name}");
        _databases.Add(name);
        var connection = new NpgsqlConnectionStringBuilder(Server) { Database = name }.ToString();
        return $"journal-postgresql = {System.Text.Json.JsonSerializer.Serialize(connection)}";
    }

    public override async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var name in _databases) await AdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await base.DisposeAsync();
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_at_start_stops_the_seed_naming_the_setting_and_the_target()
    {
        // A port that was free a moment ago: nothing answers there.
        var port = FreePort();
        var journal = $"journal-postgresql = \"Host=127.0.0.1;Port={port};Database=jobs;Username=at\"";

        var error = await Assert.ThrowsAsync<NodeStartException>(() => StartSeedAsync(journal));

        Assert.Contains("actortasks.tasks.journal-postgresql", error.Message);
        Assert.Contains($"127.0.0.1:{port}/jobs", error.Message);
    }

    [Fact]
    public async Task A_connection_string_that_is_not_one_is_refused_as_a_bad_setting()
    {
        var error = await Assert.ThrowsAsync<ConfigException>(() => StartSeedAsync("journal-postgresql = \"Hots=10.0.0.7;;Databse\""));

        Assert.Contains("actortasks.tasks.journal-postgresql", error.Message);
        Assert.Contains("not a PostgreSQL connection string", error.Message);
    }

    [SkippableFact]
    public async Task While_the_database_is_away_new_jobs_are_refused_saying_why_the_running_job_goes_on_and_jobs_are_taken_again_once_it_is_back()
    {
        var journal = await NewJournalAsync();
        Skip.If(ServerFolder is null, "ACTORTASKS_TEST_POSTGRES_DIR is not set: the test cannot stop and start the server");
        const int tasks = 300, rounds = 10_000;
        var expected = Task.Run(() => HashDigest.SingleThreaded(tasks, rounds));
        await using var seed = await StartSeedAsync(journal);
        await SubmitAsync(seed, "hash", $"{tasks}", "--rounds", $"{rounds}");
        await JobProgressWaiter.WaitAsync(seed.System, seed.JobManager, "1", p => p.Done >= 20, Timeout);

        await ServerAsync("pause");
        object refused;
        try
        {
            refused = await Commands(seed).SubmitAsync("noop", ["10"], JobOptions.Default, CancellationToken.None).WaitAsync(Timeout);
        }
        finally
        {
            await ServerAsync("resume");
        }

        var rejection = Assert.IsType<JobRejected>(refused);
        Assert.Contains("job journal", rejection.Reason);
        var finished = await WaitForEndAsync(seed, "1");
        Assert.Equal(JobState.Completed, finished.State);
        Assert.Contains(finished.Summary, kv => kv.Key == "digest" && kv.Value == expected.Result);
        // The journal is tried again with backoff: a job is taken once it answers.
        var accepted = await AcceptedWithinAsync(seed, Timeout);
        Assert.Equal(JobState.Completed, (await WaitForEndAsync(seed, accepted.JobId)).State);
    }

    private static async Task<JobAccepted> AcceptedWithinAsync(NodeHost seed, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var answer = await Commands(seed).SubmitAsync("noop", ["10"], JobOptions.Default, CancellationToken.None).WaitAsync(Timeout);
            if (answer is JobAccepted accepted) return accepted;
            var rejected = Assert.IsType<JobRejected>(answer);
            Assert.Contains("job journal", rejected.Reason);
            if (deadline.Elapsed > timeout) Assert.Fail($"no job was accepted within {timeout.TotalSeconds:0} s of the database coming back: {rejected.Reason}");
            // The manager retries the journal on its own schedule; ask again after a moment.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    private static async Task ServerAsync(string verb)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "test-postgres");
        var info = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { script, verb, ServerFolder! }) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"scripts/test-postgres {verb} exited with {process.ExitCode}: {await error}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "test-postgres"))) return dir.FullName;
        throw new InvalidOperationException($"no scripts/test-postgres above {AppContext.BaseDirectory}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>
/// A seed with a job journal killed with kill -9 half way through a job: started again on the same SQLite file, or
/// replaced by a second seed that shares a PostgreSQL journal, it carries the job on from its last settled task.
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class SeedCrashJournalTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private const int ConsumersPerNode = 2, Prefetch = 8, Tasks = 200, Rounds = 10_000;

    private readonly NodeProcesses _nodes = new(log, Timeout, "-D", "actortasks.log.console=off",
        "-D", $"actortasks.tasks.consumers-per-node={ConsumersPerNode}", "-D", $"actortasks.tasks.prefetch={Prefetch}");
    private readonly string _folder = Directory.CreateTempSubdirectory("actortasks-seed-journal-").FullName;
    private readonly Task<string> _expected = Task.Run(() => HashDigest.SingleThreaded(Tasks, Rounds));
    private string? _database;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await AdminAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task A_seed_killed_half_way_through_a_job_resumes_it_from_its_SQLite_journal_with_the_single_threaded_result()
    {
        string[] journal = ["-D", $"actortasks.tasks.journal=\"{Path.Combine(_folder, "jobs.db")}\"", "-D", "actortasks.tasks.run-consumers=on"];
        var (seed, address) = await _nodes.StartAsync("seed", ["seed", "--port", "0", .. journal]);
        await seed.SendLineAsync($"submit hash {Tasks} --rounds {Rounds}");
        await seed.WaitForLineAsync(l => l.Contains("job 1 accepted (hash)"), Timeout);
        var beforeKill = await SeedConsole.WaitForDoneAsync(seed, "1", Tasks / 4, Timeout);
        seed.KillHard();

        var (again, _) = await _nodes.StartAsync("seed-again", ["seed", "--port", address.Split(':')[1], .. journal]);

        await CarriedOnAsync(again, beforeKill, ConsumersPerNode);
        await again.SendLineAsync("submit noop 5");
        await again.WaitForLineAsync(l => l.Contains("job 2 accepted (noop)"), Timeout);
    }

    [SkippableFact]
    public async Task A_seed_killed_half_way_through_a_job_is_replaced_by_a_second_seed_on_the_same_PostgreSQL_journal()
    {
        var server = Environment.GetEnvironmentVariable("ACTORTASKS_TEST_POSTGRES");
        Skip.If(string.IsNullOrEmpty(server), "no PostgreSQL for the tests: ACTORTASKS_TEST_POSTGRES is not set (eval \"$(scripts/test-postgres start)\" starts one; .ci/run does)");
        _database = $"actortasks_test_{Guid.NewGuid():N}";
        await AdminAsync($"CREATE DATABASE {_database}");
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ToString();
        string[] journal = ["-D", $"actortasks.tasks.journal-postgresql=\"{connection}\""];
        // Two seeds and a worker: when the first seed dies the other two are the majority, and the second seed, now
        // the oldest, runs the job manager. Only the worker runs tasks.
        var (first, firstAddress) = await _nodes.StartAsync("seed-1", ["seed", "--port", "0", .. journal]);
        var (second, _) = await _nodes.StartAsync("seed-2", ["seed", "--port", "0", "--join", firstAddress, .. journal]);
        await _nodes.StartAsync("worker", "worker", "--join", firstAddress);
        await SeedConsole.WaitForMembersAsync(first, rows => rows.Count == 3 && rows.All(r => r.Contains("│ Up")), Timeout);
        await first.SendLineAsync($"submit hash {Tasks} --rounds {Rounds}");
        await first.WaitForLineAsync(l => l.Contains("job 1 accepted (hash)"), Timeout);
        var beforeKill = await SeedConsole.WaitForDoneAsync(first, "1", Tasks / 4, Timeout);
        first.KillHard();

        await CarriedOnAsync(second, beforeKill, ConsumersPerNode);
    }

    // The seed that carries the job on counts from what the journal held (at least what was done before the kill), ends
    // the job with the single-threaded digest, and hands out again no more than the consumers' window.
    private async Task CarriedOnAsync(NodeProcess seed, JobStatusLine beforeKill, int consumers)
    {
        var resumed = await SeedConsole.WaitForDoneAsync(seed, "1", 1, Timeout);
        Assert.True(resumed.Done >= beforeKill.Done, $"the job went back from {beforeKill.Done} to {resumed.Done} tasks done");

        await seed.SendLineAsync("watch 1");
        var finished = await seed.WaitForLineAsync(l => l.StartsWith("job 1 ", StringComparison.Ordinal) && l.Contains("done,"), Timeout);
        Assert.StartsWith($"job 1 Completed: {Tasks} done, 0 failed", finished);
        await seed.SendLineAsync("results 1");
        var digest = await seed.WaitForLineAsync(l => l.TrimStart().StartsWith("digest:", StringComparison.Ordinal), Timeout);
        Assert.Equal(await _expected, digest.Split(':', 2)[1].Trim());

        var status = await SeedConsole.WaitForDoneAsync(seed, "1", Tasks, Timeout);
        log.WriteLine($"{beforeKill.Done} done before the kill, {resumed.Done} when the job was seen again, {status.RunAgain} handed out again");
        Assert.InRange(status.RunAgain, 0, consumers * Prefetch);
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("ACTORTASKS_TEST_POSTGRES"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>A seed with a job journal is killed with kill -9 in the middle of a job and started again on the same file.</summary>
[Collection(NodeProcessCollection.Name)]
public sealed class SeedCrashJournalTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly NodeProcesses _nodes = new(log, Timeout, "-D", "actortasks.log.console=off");
    private readonly string _folder = Directory.CreateTempSubdirectory("actortasks-seed-journal-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<(NodeProcess Node, string HostPort)> StartSeedAsync(string name, string port) => _nodes.StartAsync(name, "seed", "--port", port,
        "-D", $"actortasks.tasks.journal=\"{Path.Combine(_folder, "jobs.db")}\"", "-D", "actortasks.tasks.run-consumers=on");

    [Fact]
    public async Task A_job_accepted_before_a_kill_9_of_the_seed_runs_to_its_end_once_the_seed_is_back()
    {
        var (seed, address) = await StartSeedAsync("seed", "0");
        await seed.SendLineAsync("submit hash 200 --rounds 20000");
        await seed.WaitForLineAsync(l => l.Contains("job 1 accepted (hash)"), Timeout);
        seed.KillHard();

        var (again, _) = await StartSeedAsync("seed-again", address.Split(':')[1]);
        await again.SendLineAsync("watch 1");
        var line = await again.WaitForLineAsync(l => l.StartsWith("job 1 ", StringComparison.Ordinal) || l.Contains("no job '1'"), Timeout);

        Assert.StartsWith("job 1 Completed: 200 done, 0 failed", line);
        await again.SendLineAsync("submit noop 5");
        await again.WaitForLineAsync(l => l.Contains("job 2 accepted (noop)"), Timeout);
    }
}

using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>A seed with a job journal is killed with kill -9 in the middle of a job and started again on the same file.</summary>
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
        await seed.SendLineAsync("submit hash 400 --rounds 20000");
        await seed.WaitForLineAsync(l => l.Contains("job 1 accepted (hash)"), Timeout);
        seed.KillHard();

        var (again, _) = await StartSeedAsync("seed-again", address.Split(':')[1]);
        var deadline = DateTime.UtcNow + Timeout;
        string line;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "job 1 did not complete after the restart");
            await again.SendLineAsync("status 1");
            line = await again.WaitForLineAsync(l => l.StartsWith("1 hash", StringComparison.Ordinal) || l.Contains("no job '1'"), Timeout);
            Assert.DoesNotContain("no job", line);
            // Each round asks again: the job runs on the restarted seed's consumers meanwhile.
            if (!line.Contains("Completed")) await Task.Delay(200);
        }
        while (!line.Contains("Completed"));

        Assert.Contains("400 done, 0 failed of 400", line);
        await again.SendLineAsync("submit noop 5");
        await again.WaitForLineAsync(l => l.Contains("job 2 accepted (noop)"), Timeout);
    }
}

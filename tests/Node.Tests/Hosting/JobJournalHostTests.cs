using ActorTasks.Messages;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Jobs;
using ActorTasks.Node.Tests.Support;
using Akka.Actor;
using Xunit;

namespace ActorTasks.Node.Tests.Hosting;

/// <summary>A seed with <c>actortasks.tasks.journal</c>: its jobs outlive it; a file it cannot use stops it at start.</summary>
public sealed class JobJournalHostTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("actortasks-journal-host-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private NodeConfig SeedConfig(string journal, bool consumers = true) => InProcessNodes.Config("seed", Path.Combine(_folder, "logs"), $$"""
        actortasks.tasks { run-consumers = {{(consumers ? "on" : "off")}}, journal = "{{InProcessNodes.Escape(journal)}}" }
        """);

    [Fact]
    public async Task A_restarted_seed_with_the_same_journal_keeps_its_jobs_results_and_numbering()
    {
        var journal = Path.Combine(_folder, "data", "jobs.db");
        JobFinished first;
        await using (var seed = await NodeHost.StartAsync(NodeRole.Seed, SeedConfig(journal), null, CancellationToken.None))
        {
            var jobs = new JobCommands(seed.System, seed.JobManager, seed.ResourceManager, Timeout);
            var accepted = Assert.IsType<JobAccepted>(await jobs.SubmitAsync("primes", ["0", "100000", "--chunk", "20000"], JobOptions.Default, CancellationToken.None).WaitAsync(Timeout));
            Assert.Equal("1", accepted.JobId);
            first = (await jobs.WatchAsync("1", TextWriter.Null, CancellationToken.None).WaitAsync(Timeout))!;
            Assert.Equal(JobState.Completed, first.State);
        }

        await using var again = await NodeHost.StartAsync(NodeRole.Seed, SeedConfig(journal), null, CancellationToken.None);
        var kept = Assert.IsType<JobFinished>(await again.JobManager.Ask<object>(new GetJobResults("1"), Timeout));
        Assert.Equal(first.Summary, kept.Summary);
        Assert.Contains(kept.Summary, kv => kv.Key == "count" && kv.Value == "9592");
        var commands = new JobCommands(again.System, again.JobManager, again.ResourceManager, Timeout);
        var next = Assert.IsType<JobAccepted>(await commands.SubmitAsync("primes", ["0", "1000"], JobOptions.Default, CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal("2", next.JobId);
    }

    [Fact]
    public async Task A_job_the_manager_had_not_finished_runs_on_the_seed_it_fails_over_to_when_both_name_the_same_journal()
    {
        var journal = Path.Combine(_folder, "jobs.db");
        // No consumers anywhere yet: the job cannot make progress before the job manager moves.
        await using var second = await StartFailoverPairAsync(journal, async first =>
        {
            var jobs = new JobCommands(first.System, first.JobManager, first.ResourceManager, Timeout);
            var accepted = Assert.IsType<JobAccepted>(await jobs.SubmitAsync("primes", ["0", "200000", "--chunk", "20000"], JobOptions.Default, CancellationToken.None).WaitAsync(Timeout));
            Assert.Equal("1", accepted.JobId);
        });

        await using var worker = await NodeHost.StartAsync(NodeRole.Worker, InProcessNodes.Config("worker", Path.Combine(_folder, "logs")), InProcessNodes.Endpoint(second), CancellationToken.None);
        var commands = new JobCommands(second.System, second.JobManager, second.ResourceManager, Timeout);
        var finished = await commands.WatchAsync("1", TextWriter.Null, CancellationToken.None).WaitAsync(Timeout);

        Assert.NotNull(finished);
        Assert.Equal(JobState.Completed, finished.State);
        Assert.Contains(finished.Summary, kv => kv.Key == "count" && kv.Value == "17984"); // primes below 200,000
    }

    // Two seeds on one journal; the first, which holds the job manager, runs `whileFirst`, then leaves and stops.
    private async Task<NodeHost> StartFailoverPairAsync(string journal, Func<NodeHost, Task> whileFirst)
    {
        var first = await NodeHost.StartAsync(NodeRole.Seed, SeedConfig(journal, consumers: false), null, CancellationToken.None);
        NodeHost? second = null;
        try
        {
            await InProcessNodes.WhenUpAsync(first).WaitAsync(Timeout);
            second = await NodeHost.StartAsync(NodeRole.Seed, SeedConfig(journal, consumers: false), InProcessNodes.Endpoint(first), CancellationToken.None);
            await InProcessNodes.WhenUpAsync(second).WaitAsync(Timeout);
            await whileFirst(first);
            await first.Cluster!.LeaveAsync().WaitAsync(Timeout);
            return second;
        }
        catch
        {
            if (second is not null) await second.DisposeAsync();
            throw;
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_seed_whose_journal_is_not_a_journal_is_refused_naming_the_setting_and_the_file()
    {
        var notes = Path.Combine(_folder, "notes.txt");
        await File.WriteAllTextAsync(notes, "not a database");

        var error = await Assert.ThrowsAsync<ConfigException>(() => NodeHost.StartAsync(NodeRole.Seed, SeedConfig(notes), null, CancellationToken.None));

        Assert.Contains("actortasks.tasks.journal", error.Message);
        Assert.Contains(notes, error.Message);
        Assert.Equal("not a database", await File.ReadAllTextAsync(notes));
    }
}

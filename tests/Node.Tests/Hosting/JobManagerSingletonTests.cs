using ActorTasks.Messages;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Jobs;
using ActorTasks.Node.Tests.Support;
using Xunit;

namespace ActorTasks.Node.Tests.Hosting;

/// <summary>The job manager is a cluster singleton on the seed role: it moves to the next seed when the oldest leaves.</summary>
public sealed class JobManagerSingletonTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _logs = Directory.CreateTempSubdirectory("actortasks-singleton-logs-").FullName;
    private readonly List<NodeHost> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        Directory.Delete(_logs, recursive: true);
    }

    private async Task<NodeHost> StartAsync(NodeRole role, string preset, NodeHost? join)
    {
        var config = InProcessNodes.Config(preset, _logs);
        var host = await NodeHost.StartAsync(role, config, join is null ? null : InProcessNodes.Endpoint(join), CancellationToken.None);
        _hosts.Add(host);
        return host;
    }

    private static async Task<JobFinished> RunPrimesAsync(NodeHost through)
    {
        var jobs = new JobCommands(through.System, through.JobManager, through.ResourceManager, Timeout);
        var answer = await jobs.SubmitAsync("primes", ["0", "200000", "--chunk", "20000"], JobOptions.Default, CancellationToken.None).WaitAsync(Timeout);
        var accepted = Assert.IsType<JobAccepted>(answer);
        var finished = await jobs.WatchAsync(accepted.JobId, TextWriter.Null, CancellationToken.None).WaitAsync(Timeout);
        Assert.NotNull(finished);
        return finished;
    }

    [Fact]
    public async Task Jobs_still_run_after_the_seed_holding_the_job_manager_leaves_because_it_moves_to_the_next_seed()
    {
        var first = await StartAsync(NodeRole.Seed, "seed", join: null);
        await InProcessNodes.WhenUpAsync(first).WaitAsync(Timeout);
        var second = await StartAsync(NodeRole.Seed, "seed", join: first);
        var worker = await StartAsync(NodeRole.Worker, "worker", join: first);
        await Task.WhenAll(InProcessNodes.WhenUpAsync(second), InProcessNodes.WhenUpAsync(worker)).WaitAsync(Timeout);

        var before = await RunPrimesAsync(second);
        Assert.Equal(JobState.Completed, before.State);
        Assert.Contains(before.Summary, kv => kv.Key == "count" && kv.Value == "17984"); // primes below 200,000

        // The oldest seed, which runs the singleton, leaves; the job manager starts again on the second seed, and the
        // worker's consumers register with it there (without them this job would never make progress).
        await first.Cluster!.LeaveAsync().WaitAsync(Timeout);
        await first.DisposeAsync();
        _hosts.Remove(first);

        var after = await RunPrimesAsync(second);
        Assert.Equal(JobState.Completed, after.State);
        Assert.Contains(after.Summary, kv => kv.Key == "count" && kv.Value == "17984");
        Assert.Equal(10, after.Done);
    }

    [Fact]
    public async Task A_seed_configured_without_the_seed_role_is_refused_naming_the_setting()
    {
        var config = InProcessNodes.Config("seed", _logs, "akka.cluster.roles = [worker]");
        var error = await Assert.ThrowsAsync<ConfigException>(() => NodeHost.StartAsync(NodeRole.Seed, config, null, CancellationToken.None));
        Assert.StartsWith("test: akka.cluster.roles: ", error.Message);
        Assert.Contains("needs the role 'seed'", error.Message);
        Assert.Contains("[worker]", error.Message);
    }
}

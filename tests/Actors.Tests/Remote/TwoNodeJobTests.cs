using ActorTasks.Actor;
using ActorTasks.Messages;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Serialization;
using ActorTasks.Remote.Transport;
using ActorTasks.Tasks.Consumers;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Jobs;
using ActorTasks.Tasks.Resources;
using ActorTasks.Tasks.Serialization;
using ActorTasks.Tasks.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static ActorTasks.Tasks.Tests.Support.TaskSystemFixture;

namespace ActorTasks.Tasks.Tests.Remote;

using ActorTasks.Testing;

/// <summary>
/// A seed (this test's system: job manager and resource manager) and a worker (a second system with the consumers),
/// each with its own TCP transport on loopback: every task, result and request crosses the wire.
/// </summary>
public sealed class TwoNodeJobTests(ITestOutputHelper output) : TestKit(output), IAsyncLifetime
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(30);
    private ActorSystem _worker = null!;

    private static SerializerRegistry Registry() => TaskSystemSerialization.Register(SerializerRegistry.CreateDefault());

    async Task IAsyncLifetime.InitializeAsync()
    {
        await RemoteActorRefProvider.StartAsync(Sys, TransportSettings.Default, Registry());
        _worker = ActorSystem.Create("worker");
        await RemoteActorRefProvider.StartAsync(_worker, TransportSettings.Default, Registry());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await _worker.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Consumers_on_another_node_run_a_job_to_its_exact_result()
    {
        var settings = Settings(consumers: 2);
        var seedKind = new SquaresKind();
        var workerKind = new SquaresKind { ResourcesPerTask = new Dictionary<string, int> { ["disk"] = 1 } };
        var jobs = Sys.ActorOf(JobManager.Props(new JobKindRegistry().Register(seedKind), settings), "jobs");
        Sys.ActorOf(ResourceManager.Props(settings with { Resources = new Dictionary<string, int> { ["disk"] = 2 } }), "resources");

        var remoteJobs = await _worker.ActorSelection($"{Sys.Address}/user/jobs").ResolveOne(TimeSpan.FromSeconds(10));
        var remoteResources = await _worker.ActorSelection($"{Sys.Address}/user/resources").ResolveOne(TimeSpan.FromSeconds(10));
        _worker.ActorOf(ConsumerPool.Props(remoteJobs, remoteResources, new JobKindRegistry().Register(workerKind), settings), "consumers");

        // Consumers that register after the job started still hear of it, so there is nothing to wait for here.
        jobs.Tell(Submit("squares", 3_000), TestActor);
        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(SquaresKind.SumOfSquares(3_000), Sum(finished));
        Assert.Equal(3_000, seedKind.Log.Reduced.Count);
        Assert.All(seedKind.Log.Reduced.Values, n => Assert.Equal(1, n));
        // Every task ran on the worker, holding a permit of the seed's resource manager.
        Assert.Equal(3_000, workerKind.Log.StartCounts.Count);
        Assert.Empty(seedKind.Log.Starts);
        Assert.InRange(workerKind.Log.MaxRunning, 1, 2);
    }
}

using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using ActorTasks.Messages;
using ActorTasks.Tasks.Consumers;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Jobs;
using ActorTasks.Tasks.Resources;
using ActorTasks.Tasks.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static ActorTasks.Tasks.Tests.Support.TaskSystemFixture;

namespace ActorTasks.Tasks.Tests.Remote;

/// <summary>
/// A seed (this test's system: job manager and resource manager) and a worker (a second system with the consumers),
/// each with Akka.Remote on loopback: every task, result and request crosses the wire through the task system's serializer.
/// </summary>
public sealed class TwoNodeJobTests : TestKit
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(30);
    private readonly ActorSystem _worker;

    public TwoNodeJobTests(ITestOutputHelper output)
        : base(NodeConfig(), "seed", output)
    {
        _worker = ActorSystem.Create("worker", NodeConfig());
        // The worker's log goes to the test's output too, beside the seed's.
        InitializeLogger(_worker);
    }

    /// <summary>A node of its own on a free loopback port, on top of the task system's reference configuration.</summary>
    private static Config NodeConfig() =>
        ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.remote.dot-netty.tcp.port = 0
            """).WithFallback(TaskSystemFixture.Config());

    protected override void Dispose(bool disposing)
    {
        if (disposing) Shutdown(_worker, verifySystemShutdown: true);
        base.Dispose(disposing);
    }

    [Fact]
    public async Task Consumers_on_another_node_run_a_job_to_its_exact_result()
    {
        var settings = Settings(consumers: 2);
        var seedKind = new SquaresKind();
        var workerKind = new SquaresKind { ResourcesPerTask = new Dictionary<string, int> { ["disk"] = 1 } };
        var jobs = Sys.ActorOf(JobManager.Props(new JobKindRegistry().Register(seedKind), settings), "jobs");
        Sys.ActorOf(ResourceManager.Props(settings with { Resources = new Dictionary<string, int> { ["disk"] = 2 } }), "resources");

        var seedAddress = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;
        Assert.Equal("akka.tcp", seedAddress.Protocol);
        var remoteJobs = await _worker.ActorSelection($"{seedAddress}/user/jobs").ResolveOne(TimeSpan.FromSeconds(10));
        var remoteResources = await _worker.ActorSelection($"{seedAddress}/user/resources").ResolveOne(TimeSpan.FromSeconds(10));
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

    [Fact]
    public async Task A_job_of_a_kind_the_worker_has_not_loaded_fails_naming_the_worker_and_why()
    {
        var settings = Settings(consumers: 2);
        var jobs = Sys.ActorOf(JobManager.Props(new JobKindRegistry().Register(new SquaresKind()), settings), "jobs");
        Sys.ActorOf(ResourceManager.Props(settings), "resources");
        var seedAddress = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;
        var remoteJobs = await _worker.ActorSelection($"{seedAddress}/user/jobs").ResolveOne(TimeSpan.FromSeconds(10));
        var remoteResources = await _worker.ActorSelection($"{seedAddress}/user/resources").ResolveOne(TimeSpan.FromSeconds(10));
        // A plug-in loaded on the seed only: the worker's registry does not have the kind.
        _worker.ActorOf(ConsumerPool.Props(remoteJobs, remoteResources, new JobKindRegistry(), settings), "consumers");
        // Whether the worker's consumers register before or after the submit, each hears of the job and declines it.
        jobs.Tell(Submit("squares", 10), TestActor);
        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(JobTimeout);

        var workerAddress = ((ExtendedActorSystem)_worker).Provider.DefaultAddress.ToString();
        Assert.Equal(JobState.Failed, finished.State);
        Assert.Equal($"no consumer could prepare the job: {workerAddress}: the job kind 'squares' is not loaded there", finished.Reason);
        Assert.Equal(0, finished.Done);
    }
}

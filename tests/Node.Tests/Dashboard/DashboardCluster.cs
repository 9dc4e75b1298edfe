using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Xunit;

namespace ActorTasks.Node.Tests.Dashboard;

/// <summary>A seed serving its dashboard on port 0 and a worker, in this process, shared by the tests of a class.</summary>
public sealed class DashboardCluster : IAsyncLifetime
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _logs = Directory.CreateTempSubdirectory("actortasks-dashboard-").FullName;

    public NodeHost Seed { get; private set; } = null!;

    public NodeHost Worker { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Seed = await NodeHost.StartAsync(NodeRole.Seed, InProcessNodes.Config("seed", _logs, "actortasks.dashboard { enabled = on, port = 0 }"), null, CancellationToken.None);
        Worker = await NodeHost.StartAsync(NodeRole.Worker, InProcessNodes.Config("worker", _logs), InProcessNodes.Endpoint(Seed), CancellationToken.None);
        await Task.WhenAll(InProcessNodes.WhenUpAsync(Seed), InProcessNodes.WhenUpAsync(Worker)).WaitAsync(Timeout);
        Http = new HttpClient { BaseAddress = Seed.Dashboard!.Url, Timeout = Timeout };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Worker is not null) await Worker.DisposeAsync();
        if (Seed is not null) await Seed.DisposeAsync();
        Directory.Delete(_logs, recursive: true);
    }
}

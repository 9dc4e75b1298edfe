using ActorTasks.Actor;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Tests.CrossProcess.Support;
using ActorTasks.Remote.TestHost;
using ActorTasks.Remote.Transport;
using ActorTasks.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.CrossProcess;

/// <summary>A host process given its secret through ACTORTASKS__remote__secret talks only to nodes that know it.</summary>
public sealed class CrossProcessSecretTests(ITestOutputHelper output) : TestKit(output)
{
    private const string Secret = "cross-process-secret";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private NodeProcess? _host;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await RemoteActorRefProvider.StartAsync(Sys, TransportSettings.Default with { Secret = Secret }, HostProtocol.Registry());
    }

    public override async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_node_with_the_same_secret_is_answered_and_one_with_another_secret_is_refused()
    {
        _host = await NodeProcess.StartAsync("guarded", Output, Secret);
        var echo = await Sys.ActorSelection(_host.PathOf(HostProtocol.Echo)).ResolveOne(Timeout);
        Assert.Equal("friend", await echo.Ask<string>("friend", Timeout));

        var stranger = ActorSystem.Create("stranger");
        try
        {
            await RemoteActorRefProvider.StartAsync(stranger, TransportSettings.Default with { Secret = "another secret" }, HostProtocol.Registry());
            // Even finding the actor fails: the handshake is refused before any message is delivered.
            var notFound = await Assert.ThrowsAsync<ActorNotFoundException>(() => stranger.ActorSelection(_host.PathOf(HostProtocol.Echo)).ResolveOne(Timeout));
            Assert.Contains("actortasks.remote.secret", notFound.Message);
        }
        finally
        {
            await stranger.Terminate().WaitAsync(Timeout);
        }
        // The host kept serving the node that knows the secret.
        Assert.Equal("still friends", await echo.Ask<string>("still friends", Timeout));
    }
}

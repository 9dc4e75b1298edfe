using System.Collections;
using System.Net;
using System.Net.Sockets;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Dashboard;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Xunit;

namespace ActorTasks.Node.Tests.Dashboard;

/// <summary><c>actortasks.dashboard</c>: defaults, bad values named, and no dashboard off loopback without a token.</summary>
public sealed class DashboardSettingsTests
{
    private static DashboardSettings Read(string preset, string settings) =>
        DashboardSettings.Create(NodeConfig.Load(preset, null, [], new Hashtable()).With("test", settings));

    [Fact]
    public void A_seed_serves_the_dashboard_on_loopback_port_8080_and_a_worker_none()
    {
        var seed = Read("seed", "");
        Assert.True(seed.Enabled);
        Assert.Equal(IPAddress.Loopback, seed.Address);
        Assert.Equal(8080, seed.Port);
        Assert.False(Read("worker", "").Enabled);
    }

    [Theory]
    [InlineData("actortasks.dashboard.port = 70000", "actortasks.dashboard.port: expected 0 to 65535, got 70000")]
    [InlineData("actortasks.dashboard.hostname = \"dashboard.example\"", "actortasks.dashboard.hostname: expected an IP address")]
    [InlineData("actortasks.dashboard.hostname = \"0.0.0.0\"", "actortasks.dashboard.hostname: the dashboard on 0.0.0.0 is reachable from other machines, so it needs a token: set actortasks.dashboard.token")]
    public void A_bad_setting_is_refused_naming_the_layer_and_the_key(string settings, string message)
    {
        var e = Assert.Throws<ConfigException>(() => Read("seed", settings));
        Assert.StartsWith($"test: {message}", e.Message);
    }

    [Fact]
    public void Off_loopback_with_a_token_is_allowed()
    {
        var settings = Read("seed", "actortasks.dashboard { hostname = \"0.0.0.0\", token = \"s3cret\" }");
        Assert.Equal(IPAddress.Any, settings.Address);
        Assert.Equal("s3cret", settings.Token);
    }

    [Fact]
    public async Task A_seed_whose_dashboard_port_is_taken_runs_without_it()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var logs = Directory.CreateTempSubdirectory("actortasks-dashboard-port-").FullName;
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;
            await using var seed = await NodeHost.StartAsync(NodeRole.Seed,
                InProcessNodes.Config("seed", logs, $"actortasks.dashboard {{ enabled = on, port = {port} }}"), null, CancellationToken.None);
            Assert.Null(seed.Dashboard);
        }
        finally
        {
            taken.Stop();
            Directory.Delete(logs, recursive: true);
        }
    }
}

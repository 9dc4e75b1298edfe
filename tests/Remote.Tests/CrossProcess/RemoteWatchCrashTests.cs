using System.Diagnostics;
using ActorTasks.Actor;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Tests.CrossProcess.Support;
using ActorTasks.Remote.TestHost;
using ActorTasks.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.CrossProcess;

/// <summary>Remote death watch with its default settings, against a process killed with kill -9.</summary>
public sealed class RemoteWatchCrashTests(ITestOutputHelper output) : TestKit(output)
{
    private NodeProcess? _host;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await RemoteActorRefProvider.StartAsync(Sys, RemoteSettings.Default, HostProtocol.Registry());
    }

    public override async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_watcher_gets_Terminated_within_five_seconds_of_a_kill_9_of_the_watched_actors_process()
    {
        _host = await NodeProcess.StartAsync("watched", Output);
        var echo = await Sys.ActorSelection(_host.PathOf(HostProtocol.Echo)).ResolveOne(TimeSpan.FromSeconds(15));
        Watch(echo);
        Assert.Equal("ready", await echo.Ask<string>("ready", TimeSpan.FromSeconds(15)));

        _host.Kill();
        var sinceKill = Stopwatch.StartNew();
        // The default bound (remote watch failure detector: 500 ms heartbeats, 2 s acceptable pause, phi 10).
        var terminated = ExpectTerminated(echo, TimeSpan.FromSeconds(5));
        Output!.WriteLine($"Terminated {sinceKill.ElapsedMilliseconds} ms after the kill");
        Assert.True(terminated.AddressTerminated);
    }
}

using System.Diagnostics;
using ActorTasks.Actor;
using ActorTasks.Event;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Tests.CrossProcess.Support;
using ActorTasks.Remote.TestHost;
using ActorTasks.Remote.Transport;
using ActorTasks.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.CrossProcess;

/// <summary>The other process stops on command, or is killed (kill -9); this node notices at once and stays up.</summary>
public sealed class NodeCrashTests(ITestOutputHelper output) : TestKit(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly List<NodeProcess> _hosts = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // A long reconnect backoff: after the crash, every send meets the closed gate (and a dead letter), none a new dial.
        var settings = TransportSettings.Default with { ReconnectBackoffMin = TimeSpan.FromSeconds(30), ReconnectBackoffMax = TimeSpan.FromSeconds(30) };
        await RemoteActorRefProvider.StartAsync(Sys, settings, HostProtocol.Registry());
    }

    public override async Task DisposeAsync()
    {
        // Whatever the test did or failed to do, no host process outlives it.
        foreach (var host in _hosts) await host.DisposeAsync();
        await base.DisposeAsync();
    }

    private async Task<NodeProcess> StartHostAsync(string name)
    {
        var host = await NodeProcess.StartAsync(name, Output);
        _hosts.Add(host);
        return host;
    }

    [Fact]
    public async Task Commands_on_standard_input_stop_an_actor_and_end_the_process_cleanly()
    {
        var host = await StartHostAsync("commanded");
        await host.SendCommandAsync($"stop {HostProtocol.Echo}");
        await host.WaitForLineAsync($"{HostProtocol.Stopped} {HostProtocol.Echo}", Timeout);
        Sys.ActorSelection(host.PathOf(HostProtocol.Echo)).Tell(new Identify(1), TestActor);
        Assert.Null(ExpectMsg<ActorIdentity>(Timeout).Subject);

        await host.SendCommandAsync("exit");
        await host.WaitForExitAsync(Timeout);
        Assert.Equal(0, host.ExitCode);
    }

    [Fact]
    public async Task When_the_other_process_is_killed_an_ask_in_flight_fails_at_once_later_sends_are_dead_letters_and_this_node_stays_up()
    {
        var doomed = await StartHostAsync("doomed");
        var blackhole = await Sys.ActorSelection(doomed.PathOf(HostProtocol.Blackhole)).ResolveOne(Timeout);
        var ask = blackhole.Ask<string>("never answered", TimeSpan.FromSeconds(60));
        await doomed.WaitForLineAsync($"{HostProtocol.Got} {HostProtocol.Blackhole} never answered", Timeout);

        doomed.Kill();
        var sinceKill = Stopwatch.StartNew();
        // Long before the ask's own 60 s timeout: the connection drop fails it.
        var failure = await Assert.ThrowsAsync<AskTerminatedException>(() => ask.WaitAsync(Timeout));
        Output!.WriteLine($"the ask failed {sinceKill.ElapsedMilliseconds} ms after the kill: {failure.Message}");
        Assert.Contains($":{doomed.Address.Port}", failure.Message);
        await doomed.WaitForExitAsync(Timeout);

        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        blackhole.Tell("after the crash", TestActor);
        var dead = FishForMessage<DeadLetter>(d => "after the crash".Equals(d.Message), Timeout);
        Assert.Equal(blackhole, dead.Recipient);

        // Still up: it reaches a new node in another process, and its own actors still answer.
        var fresh = await StartHostAsync("fresh");
        var echo = await Sys.ActorSelection(fresh.PathOf(HostProtocol.Echo)).ResolveOne(Timeout);
        Assert.Equal("still here", await echo.Ask<string>("still here", Timeout));
        var local = Sys.ActorOf(Props.Create(() => new LocalEcho()));
        Assert.Equal(7, await local.Ask<int>(7, Timeout));
    }

    private sealed class LocalEcho : ReceiveActor
    {
        public LocalEcho() => ReceiveAny(m => Sender.Tell(m));
    }
}

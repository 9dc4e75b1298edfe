using ActorTasks.Actor;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Tests.CrossProcess.Support;
using ActorTasks.Remote.TestHost;
using ActorTasks.Remote.Transport;
using ActorTasks.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.CrossProcess;

/// <summary>One test-host process shared by the tests of a class; killed when they are done.</summary>
public sealed class HostProcessFixture : IAsyncLifetime
{
    public NodeProcess Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await NodeProcess.StartAsync("host");

    public async Task DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
    }
}

/// <summary>This process's actor system talking to actors in another OS process over loopback TCP.</summary>
public sealed class CrossProcessMessagingTests(HostProcessFixture fixture, ITestOutputHelper output) : TestKit(output), IClassFixture<HostProcessFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private NodeProcess Host => fixture.Host;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await RemoteActorRefProvider.StartAsync(Sys, TransportSettings.Default, HostProtocol.Registry());
    }

    [Fact]
    public void A_tell_to_an_actor_in_another_process_is_answered_by_a_sender_in_that_process()
    {
        Sys.ActorSelection(Host.PathOf(HostProtocol.Echo)).Tell("across processes", TestActor);
        ExpectMsg("across processes", Timeout);
        Assert.Equal(Host.Address, LastSender.Path.Address);
        Assert.Equal(HostProtocol.Echo, LastSender.Path.Name);
    }

    [Fact]
    public async Task ResolveOne_gives_a_ref_that_asks_an_actor_in_another_process()
    {
        var echo = await Sys.ActorSelection(Host.PathOf(HostProtocol.Echo)).ResolveOne(Timeout);
        Assert.Equal(Host.Address, echo.Path.Address);
        Assert.Equal(42, await echo.Ask<int>(42, Timeout));
        Assert.Equal("forty-two", await echo.Ask<string>("forty-two", Timeout));
    }

    [Fact]
    public void An_actor_ref_inside_a_message_is_a_working_ref_in_the_other_process()
    {
        var probe = CreateTestProbe();
        Sys.ActorSelection(Host.PathOf(HostProtocol.RelayActor)).Tell(new Relay("shout this", probe.Ref), TestActor);
        probe.ExpectMsg("SHOUT THIS", Timeout);
        Assert.Equal(Host.Address, probe.LastSender.Path.Address);
    }

    [Fact]
    public void Messages_from_one_sender_reach_an_actor_in_another_process_in_order()
    {
        var counter = Sys.ActorSelection(Host.PathOf(HostProtocol.Counter));
        for (var i = 1; i <= 1000; i++) counter.Tell(i, TestActor);
        counter.Tell("get", TestActor);
        ExpectMsg(500_500L, Timeout);
    }

    [Fact]
    public async Task An_actor_that_stopped_in_another_process_identifies_as_no_actor()
    {
        var stopper = Sys.ActorSelection(Host.PathOf(HostProtocol.Stopper));
        stopper.Tell(new Identify("before"), TestActor);
        Assert.NotNull(ExpectMsg<ActorIdentity>(Timeout).Subject);

        stopper.Tell("stop", TestActor);
        await Host.WaitForLineAsync($"{HostProtocol.Stopped} {HostProtocol.Stopper}", Timeout);
        stopper.Tell(new Identify("after"), TestActor);
        var identity = ExpectMsg<ActorIdentity>(Timeout);
        Assert.Equal("after", identity.MessageId);
        Assert.Null(identity.Subject);
    }
}

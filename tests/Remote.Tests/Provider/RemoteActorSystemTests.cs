using ActorTasks.Actor;
using ActorTasks.Hocon;
using ActorTasks.Remote.Provider;
using Xunit;

namespace ActorTasks.Remote.Tests.Provider;

/// <summary>Remoting turned on (or not) by configuration.</summary>
public sealed class RemoteActorSystemTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    [Fact]
    public async Task Provider_remote_binds_the_configured_host_on_a_free_port_and_reports_it_in_the_address()
    {
        var config = ConfigFactory.ParseString("actortasks { actor.provider = remote, remote { hostname = \"127.0.0.1\", port = 0 } }");
        var a = await RemoteActorSystem.CreateAsync("a", config);
        var b = await RemoteActorSystem.CreateAsync("b", config);
        try
        {
            Assert.Equal("127.0.0.1", a.Address.Host);
            Assert.True(a.Address.Port > 0);
            Assert.NotNull(RemoteActorRefProvider.For(a));
            b.ActorOf(Props.Create<Echo>(), "echo");
            var echo = await a.ActorSelection($"{b.Address}/user/echo").ResolveOne(Timeout);
            Assert.Equal("hi", await echo.Ask<string>("hi", Timeout));
        }
        finally
        {
            await Task.WhenAll(a.Terminate(), b.Terminate()).WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task Provider_local_starts_no_transport()
    {
        var system = await RemoteActorSystem.CreateAsync("plain");
        try
        {
            Assert.Null(RemoteActorRefProvider.For(system));
            Assert.Null(system.Address.Port);
        }
        finally
        {
            await system.Terminate().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task A_bad_remote_setting_is_refused_naming_the_key_before_anything_starts()
    {
        var config = ConfigFactory.ParseString("actortasks { actor.provider = remote, remote.port = 70000 }");
        var e = await Assert.ThrowsAsync<ConfigException>(() => RemoteActorSystem.CreateAsync("bad", config));
        Assert.Contains("actortasks.remote.port", e.Message);
    }

    [Fact]
    public async Task A_taken_port_fails_the_start_and_stops_the_half_made_system()
    {
        var first = await RemoteActorSystem.CreateAsync("first", ConfigFactory.ParseString("actortasks.actor.provider = remote"));
        try
        {
            var taken = ConfigFactory.ParseString($"actortasks {{ actor.provider = remote, remote.port = {first.Address.Port} }}");
            await Assert.ThrowsAnyAsync<Exception>(() => RemoteActorSystem.CreateAsync("second", taken));
        }
        finally
        {
            await first.Terminate().WaitAsync(Timeout);
        }
    }
}

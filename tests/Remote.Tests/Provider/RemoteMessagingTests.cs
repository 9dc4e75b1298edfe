using System.Text.Json.Serialization;
using ActorTasks.Actor;
using ActorTasks.Event;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Serialization;
using ActorTasks.Remote.Transport;
using ActorTasks.Testing;
using Xunit;

namespace ActorTasks.Remote.Tests.Provider;

public sealed record Greet(string Name, IActorRef ReplyTo);

public sealed record Unregistered(int X);

[JsonSerializable(typeof(Greet))]
public sealed partial class ProviderTestJson : JsonSerializerContext;

/// <summary>Two actor systems in this process, each with its own transport on a free loopback port.</summary>
public sealed class RemoteMessagingTests : TestKit, IAsyncLifetime
{
    private ActorSystem _other = null!;

    private static SerializerRegistry Registry() =>
        SerializerRegistry.CreateDefault().RegisterJson("test.greet", ProviderTestJson.Default.Greet);

    async Task IAsyncLifetime.InitializeAsync()
    {
        await RemoteActorRefProvider.StartAsync(Sys, TransportSettings.Default, Registry());
        _other = ActorSystem.Create("other");
        await RemoteActorRefProvider.StartAsync(_other, TransportSettings.Default, Registry());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await _other.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        await base.DisposeAsync();
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    private sealed class Greeter : ReceiveActor
    {
        public Greeter() => Receive<Greet>(g => g.ReplyTo.Tell($"hello {g.Name} from {Self.Path.Address.System}"));
    }

    [Fact]
    public void Systems_report_their_bound_address()
    {
        Assert.Equal("127.0.0.1", Sys.Address.Host);
        Assert.True(Sys.Address.Port > 0);
        Assert.NotEqual(Sys.Address, _other.Address);
    }

    [Fact]
    public void Tell_through_a_selection_reaches_the_other_node_and_the_reply_comes_back()
    {
        _other.ActorOf(Props.Create<Echo>(), "echo");
        Sys.ActorSelection($"{_other.Address}/user/echo").Tell("over the wire", TestActor);
        ExpectMsg("over the wire", TimeSpan.FromSeconds(10));
        Assert.Equal(_other.Address, LastSender.Path.Address);
    }

    [Fact]
    public async Task Ask_across_nodes_returns_the_reply()
    {
        _other.ActorOf(Props.Create<Echo>(), "echo");
        var echo = await Sys.ActorSelection($"{_other.Address}/user/echo").ResolveOne(TimeSpan.FromSeconds(5));
        Assert.Equal(42, await echo.Ask<int>(42, TimeSpan.FromSeconds(10)));
        Assert.Equal("forty-two", await echo.Ask<string>("forty-two", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void An_actor_ref_inside_a_message_arrives_as_a_working_ref()
    {
        _other.ActorOf(Props.Create<Greeter>(), "greeter");
        Sys.ActorSelection($"{_other.Address}/user/greeter").Tell(new Greet("Ada", TestActor), TestActor);
        ExpectMsg("hello Ada from other", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Order_is_kept_per_sender_and_receiver()
    {
        _other.ActorOf(Props.Create<Echo>(), "echo");
        var echo = Sys.ActorSelection($"{_other.Address}/user/echo");
        for (var i = 0; i < 1000; i++) echo.Tell(i, TestActor);
        for (var i = 0; i < 1000; i++) ExpectMsg(i, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Sending_an_unregistered_type_fails_at_the_sender_naming_the_type()
    {
        _other.ActorOf(Props.Create<Echo>(), "echo");
        var e = Assert.Throws<UnregisteredMessageTypeException>(() =>
            Sys.ActorSelection($"{_other.Address}/user/echo").Tell(new Unregistered(1), TestActor));
        Assert.Contains(nameof(Unregistered), e.Message);
        Assert.Contains("Register", e.Message);
    }

    [Fact]
    public void A_message_to_a_missing_actor_on_the_other_node_becomes_a_dead_letter_there()
    {
        var probe = CreateTestProbe(_other);
        _other.EventStream.Subscribe<DeadLetter>(probe.Ref);
        Sys.ActorSelection($"{_other.Address}/user/nobody-here").Tell("lost", TestActor);
        Assert.Equal("lost", probe.FishForMessage<DeadLetter>(d => d.Message is "lost", TimeSpan.FromSeconds(10)).Message);
    }

    [Fact]
    public async Task An_ask_to_a_node_that_cannot_be_reached_fails_when_the_dial_fails_not_at_its_timeout()
    {
        // Port 1 on loopback refuses the connection: the dial fails at once.
        var target = Sys.ResolveActorRef(ActorPath.Parse("actortasks://gone@127.0.0.1:1/user/x"))!;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<AskTerminatedException>(() => target.Ask<string>("anyone?", TimeSpan.FromSeconds(30)));
        Assert.Contains("127.0.0.1:1", e.Message);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task ResolveOne_asks_the_other_node_and_fails_for_an_actor_that_is_not_there()
    {
        _other.ActorOf(Props.Create<Echo>(), "echo");
        var echo = await Sys.ActorSelection($"{_other.Address}/user/echo").ResolveOne(TimeSpan.FromSeconds(10));
        Assert.NotEqual(ActorPath.UndefinedUid, echo.Path.Uid); // the answer names the incarnation
        await Assert.ThrowsAsync<ActorNotFoundException>(() => Sys.ActorSelection($"{_other.Address}/user/nobody").ResolveOne(TimeSpan.FromSeconds(10)));
    }
}

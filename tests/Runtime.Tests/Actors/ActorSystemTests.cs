using ActorTasks.Actor;
using Xunit;
using ActorTasks.Testing;

namespace ActorTasks.Tests.Actors;

public sealed class ActorSystemTests : TestKit
{
    [Fact]
    public void Top_level_actors_live_under_user_with_their_name()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        Assert.Equal($"actortasks://{Sys.Name}/user/echo", echo.Path.ToString());
        Assert.Equal("echo", echo.Path.Name);
        Assert.Equal(["user", "echo"], echo.Path.Elements);
    }

    [Fact]
    public void A_duplicate_name_among_siblings_is_refused_at_ActorOf()
    {
        Sys.ActorOf(Props.Create<EchoActor>(), "twin");
        var e = Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), "twin"));
        Assert.Contains("'twin' is not unique", e.Message);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("$reserved")]
    [InlineData("with space")]
    public void An_invalid_name_is_refused_at_ActorOf(string name)
    {
        var e = Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), name));
        Assert.Contains($"'{name}'", e.Message);
    }

    [Fact]
    public void Unnamed_actors_get_distinct_generated_names()
    {
        var a = Sys.ActorOf(Props.Create<EchoActor>());
        var b = Sys.ActorOf(Props.Create<EchoActor>());
        Assert.NotEqual(a.Path.Name, b.Path.Name);
        Assert.StartsWith("$", a.Path.Name);
    }

    [Fact]
    public void Invalid_system_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ActorSystem.Create("bad name"));
        Assert.Throws<ArgumentException>(() => ActorSystem.Create(""));
    }

    [Fact]
    public async Task Terminate_stops_every_actor_and_completes_WhenTerminated()
    {
        var system = ActorSystem.Create("terminating");
        var probe = CreateTestProbe();
        var actor = system.ActorOf(Props.Create(() => new LifecycleActor(probe.Ref)), "a");
        probe.ExpectMsg("ctor");
        probe.ExpectMsg("preStart");
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        probe.ExpectMsg("postStop");
        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
        Assert.Throws<InvalidOperationException>(() => system.ActorOf(Props.Create<EchoActor>(), "late"));
    }

    [Fact]
    public void A_null_message_is_refused_at_Tell()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        Assert.Throws<ArgumentNullException>(() => echo.Tell(null!, TestActor));
    }

    [Fact]
    public void Props_with_no_matching_constructor_is_refused_at_Create()
    {
        var e = Assert.Throws<ArgumentException>(() => Props.Create<LifecycleActor>(42));
        Assert.Contains("LifecycleActor", e.Message);
    }

    [Fact]
    public void Creating_an_actor_with_new_fails_clearly()
    {
        var e = Assert.Throws<ActorInitializationException>(() => new EchoActor());
        Assert.Contains("Props", e.Message);
    }

    [Fact]
    public void Messages_to_a_stopped_actor_become_dead_letters()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "doomed");
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);
        Sys.EventStream.Subscribe(TestActor, typeof(Event.DeadLetter));
        echo.Tell("hello", TestActor);
        var dead = ExpectMsg<Event.DeadLetter>();
        Assert.Equal("hello", dead.Message);
        Assert.Equal(echo, dead.Recipient);
    }

    [Fact]
    public async Task Actor_selection_finds_actors_by_absolute_path_full_address_and_wildcard()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "selected");
        Sys.ActorSelection("/user/selected").Tell("abs", TestActor);
        ExpectMsg("abs");
        Sys.ActorSelection($"actortasks://{Sys.Name}/user/selected").Tell("full", TestActor);
        ExpectMsg("full");
        Sys.ActorSelection("/user/sel*").Tell("wild", TestActor);
        ExpectMsg("wild");
        Assert.Equal(echo, await Sys.ActorSelection("/user/selected").ResolveOne(TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAsync<ActorNotFoundException>(() => Sys.ActorSelection("/user/missing").ResolveOne(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Identify_answers_with_the_ref_and_a_dead_actor_answers_with_null()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        echo.Tell(new Identify(7), TestActor);
        Assert.Equal(new ActorIdentity(7, echo), ExpectMsg<ActorIdentity>());
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);
        echo.Tell(new Identify(8), TestActor);
        Assert.Equal(new ActorIdentity(8, null), ExpectMsg<ActorIdentity>());
    }
}

public sealed class ResolveActorRefTests : TestKit
{
    [Fact]
    public void Resolves_a_live_local_actor_by_path_and_checks_the_uid()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "resolved");
        Assert.Equal(echo, Sys.ResolveActorRef(echo.Path));
        Assert.Equal(echo, Sys.ResolveActorRef(ActorPath.Parse($"actortasks://{Sys.Name}/user/resolved")));
        Assert.Null(Sys.ResolveActorRef(echo.Path.WithUid(echo.Path.Uid + 1)));
        Assert.Null(Sys.ResolveActorRef(ActorPath.Parse($"actortasks://{Sys.Name}/user/missing")));
    }

    [Fact]
    public void A_stopped_actor_no_longer_resolves()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);
        Assert.Null(Sys.ResolveActorRef(echo.Path));
    }

    [Fact]
    public void Another_address_does_not_resolve_without_remoting()
    {
        Assert.Null(Sys.ResolveActorRef(ActorPath.Parse("actortasks://elsewhere@10.0.0.5:4053/user/x")));
        Assert.Equal($"actortasks://{Sys.Name}", Sys.Address.ToString());
    }
}

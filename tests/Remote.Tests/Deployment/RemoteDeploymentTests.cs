using ActorTasks.Actor;
using ActorTasks.Configuration;
using ActorTasks.Hocon;
using ActorTasks.Remote.Serialization;
using ActorTasks.Remote.Tests.Provider;
using Xunit;

namespace ActorTasks.Remote.Tests.Deployment;

/// <summary>Children deployed on another node: they run there, answer here, and their parent supervises them across the wire.</summary>
public sealed class RemoteDeploymentTests : TwoNodeTestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Reports its life to <c>reporter</c>; counts messages; "where" answers its node; "boom" throws.</summary>
    private sealed class Worker : ReceiveActor
    {
        private readonly IActorRef _reporter;
        private int _count;

        public Worker(IActorRef reporter, string tag)
        {
            _reporter = reporter;
            Receive<string>(m => m == "where", _ => Sender.Tell($"{tag} on {Context.System.Name}"));
            Receive<string>(m => m == "boom", _ => throw new InvalidOperationException("boom"));
            Receive<string>(m => m == "count", _ => Sender.Tell(++_count));
        }

        protected override void PreStart() => _reporter.Tell("started");

        protected override void PostRestart(Exception reason) => _reporter.Tell($"restarted after {reason.Message}");

        protected override void PostStop() => _reporter.Tell("stopped");
    }

    /// <summary>Deploys a Worker named "child" where it is told, supervises it with the given directive, forwards the rest.</summary>
    private sealed class Parent : ReceiveActor
    {
        private readonly Directive _directive;

        public Parent(Props childProps, Directive directive)
        {
            _directive = directive;
            var child = Context.ActorOf(childProps, "child");
            Receive<string>(m => m == "children", _ => Sender.Tell(string.Join(",", Context.Children.Select(c => c.Path.ToString()))));
            Receive<string>(m => m == "watch and unwatch", _ =>
            {
                Context.Watch(child);
                Context.Unwatch(child);
                Sender.Tell("unwatched");
            });
            ReceiveAny(m => child.Forward(m));
        }

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => _directive);
    }

    private sealed class FromDelegate : ReceiveActor;

    protected override SerializerRegistry CreateRegistry() =>
        SerializerRegistry.CreateDefault().RegisterDeployable<Worker>("test.worker");

    private Props RemoteWorker(string tag = "w") =>
        Props.Create<Worker>(TestActor, tag).WithDeploy(Deploy.Remote(Other.Address));

    [Fact]
    public async Task A_child_deployed_remotely_runs_on_the_other_node_and_answers_here()
    {
        var child = Sys.ActorOf(RemoteWorker("w1"), "worker");
        ExpectMsg("started", Timeout);
        Assert.Equal(Other.Address, child.Path.Address);
        Assert.Equal("w1 on other", await child.Ask<string>("where", Timeout));
    }

    [Fact]
    public async Task The_parent_strategy_restarts_a_failed_remote_child()
    {
        var parent = Sys.ActorOf(Props.Create<Parent>(RemoteWorker(), Directive.Restart), "parent");
        ExpectMsg("started", Timeout);
        Assert.Equal(1, await parent.Ask<int>("count", Timeout));
        parent.Tell("boom");
        ExpectMsg("stopped", Timeout);
        ExpectMsg("restarted after boom", Timeout);
        Assert.Equal(1, await parent.Ask<int>("count", Timeout)); // a fresh instance: the count starts again
    }

    [Fact]
    public async Task The_parent_strategy_resumes_a_failed_remote_child_keeping_its_state()
    {
        var parent = Sys.ActorOf(Props.Create<Parent>(RemoteWorker(), Directive.Resume), "parent");
        ExpectMsg("started", Timeout);
        Assert.Equal(1, await parent.Ask<int>("count", Timeout));
        parent.Tell("boom");
        Assert.Equal(2, await parent.Ask<int>("count", Timeout));
    }

    [Fact]
    public void The_parent_strategy_stops_a_failed_remote_child_and_forgets_it()
    {
        var parent = Sys.ActorOf(Props.Create<Parent>(RemoteWorker(), Directive.Stop), "parent");
        ExpectMsg("started", Timeout);
        parent.Tell("boom");
        ExpectMsg("stopped", Timeout);
        AwaitAssert(() => Assert.Equal("", parent.Ask<string>("children", Timeout).GetAwaiter().GetResult()), Timeout);
    }

    [Fact]
    public void Stopping_the_parent_stops_its_remote_child()
    {
        var parent = Sys.ActorOf(Props.Create<Parent>(RemoteWorker(), Directive.Restart), "parent");
        ExpectMsg("started", Timeout);
        Watch(parent);
        Sys.Stop(parent);
        ExpectMsg("stopped", Timeout);
        ExpectTerminated(parent, Timeout);
    }

    [Fact]
    public async Task A_path_configured_for_remote_deployment_is_created_on_that_node()
    {
        var config = ConfigFactory.ParseString($$"""actortasks.actor.deployment { "/configured" { remote = "{{Other.Address}}" } }""");
        var third = ActorSystem.Create("third", config);
        try
        {
            await Remote.Provider.RemoteActorRefProvider.StartAsync(third, Settings, CreateRegistry());
            var probe = CreateTestProbe(third); // refs in props must belong to the deploying system
            var child = third.ActorOf(Props.Create<Worker>(probe.Ref, "cfg"), "configured");
            probe.ExpectMsg("started", Timeout);
            Assert.Equal(Other.Address, child.Path.Address);
            Assert.Equal("cfg on other", await child.Ask<string>("where", Timeout));
            var local = third.ActorOf(Props.Create<Worker>(probe.Ref, "here"), "not-configured");
            Assert.Equal("here on third", await local.Ask<string>("where", Timeout));
        }
        finally
        {
            await third.Terminate().WaitAsync(Timeout);
        }
    }

    [Fact]
    public void A_deployment_entry_with_a_bad_address_is_refused_naming_the_key()
    {
        var config = ConfigFactory.ParseString("""actortasks.actor.deployment { "/w" { remote = "not an address" } }""");
        var e = Assert.Throws<ConfigException>(() => RuntimeSettings.Create(config));
        Assert.Contains("actortasks.actor.deployment.\"/w\".remote", e.Message);
    }

    [Fact]
    public void Props_that_cannot_be_sent_are_refused_at_ActorOf_with_the_fix()
    {
        var unregistered = Assert.Throws<InvalidOperationException>(() =>
            Sys.ActorOf(Props.Create<FromDelegate>().WithDeploy(Deploy.Remote(Other.Address))));
        Assert.Contains("RegisterDeployable<FromDelegate>", unregistered.Message);

        var fromDelegate = Assert.Throws<InvalidOperationException>(() =>
            Sys.ActorOf(Props.CreateBy(() => new Worker(TestActor, "x")).WithDeploy(Deploy.Remote(Other.Address))));
        Assert.Contains("made from a delegate", fromDelegate.Message);
    }

    [Fact]
    public async Task A_remote_child_whose_node_dies_is_removed_from_its_parent()
    {
        var parent = Sys.ActorOf(Props.Create<Parent>(RemoteWorker(), Directive.Restart), "parent");
        ExpectMsg("started", Timeout);
        Assert.NotEqual("", await parent.Ask<string>("children", Timeout));
        await Remote.Provider.RemoteActorRefProvider.For(Other)!.DisposeAsync();
        await AwaitAssertAsync(async () => Assert.Equal("", await parent.Ask<string>("children", Timeout)), Timeout);
    }

    [Fact]
    public async Task A_remote_child_its_parent_watched_then_unwatched_is_still_removed_when_its_node_dies()
    {
        // A pool router does this: it watches its routees and unwatches the ones it removes before they have stopped.
        var parent = Sys.ActorOf(Props.Create<Parent>(RemoteWorker(), Directive.Restart), "parent");
        ExpectMsg("started", Timeout);
        parent.Tell("watch and unwatch");
        ExpectMsg("unwatched", Timeout);
        await Remote.Provider.RemoteActorRefProvider.For(Other)!.DisposeAsync();
        await AwaitAssertAsync(async () => Assert.Equal("", await parent.Ask<string>("children", Timeout)), Timeout);
    }
}

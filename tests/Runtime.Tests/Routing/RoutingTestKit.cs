using ActorTasks.Actor;
using ActorTasks.Routing;
using ActorTasks.Testing;

namespace ActorTasks.Tests.Routing;

/// <summary>What a <see cref="Reporter"/> answers: which routee handled which message.</summary>
public sealed record Routed(IActorRef Routee, object Message);

/// <summary>A <see cref="Reporter"/> was restarted.</summary>
public sealed record Restarted(IActorRef Routee);

/// <summary>Makes a <see cref="Reporter"/> await <see cref="Gate"/> before it takes its next message.</summary>
public sealed record Block(Task Gate);

/// <summary>A <see cref="Reporter"/> is now awaiting its <see cref="Block"/> gate.</summary>
public sealed record Blocked(IActorRef Routee);

/// <summary>A keyed message for the consistent-hashing routers.</summary>
public sealed record Keyed(string Key, int Round) : IConsistentHashable
{
    public object ConsistentHashKey => Key;
}

/// <summary>
/// A routee that answers each message with <see cref="Routed"/> to its sender, throws an exception it is sent,
/// awaits a <see cref="Block"/> gate without holding a thread, and tells its monitor when it restarts.
/// </summary>
public sealed class Reporter : ReceiveActor
{
    private readonly IActorRef? _monitor;

    public Reporter() : this(null) { }

    public Reporter(IActorRef? monitor)
    {
        _monitor = monitor;
        Receive<Exception>(e => throw e);
        ReceiveAsync<Block>(async block =>
        {
            Sender.Tell(new Blocked(Self));
            await block.Gate;
        });
        ReceiveAny(m => Sender.Tell(new Routed(Self, m)));
    }

    protected override void PostRestart(Exception reason) => _monitor?.Tell(new Restarted(Self));
}

/// <summary>A parent that creates a child from the props it is sent and supervises it with the strategy it was given.</summary>
public sealed class Parent : ReceiveActor
{
    private readonly SupervisorStrategy _strategy;

    public Parent(SupervisorStrategy strategy)
    {
        _strategy = strategy;
        Receive<Props>(p => Sender.Tell(Context.ActorOf(p)));
    }

    protected override SupervisorStrategy SupervisorStrategy() => _strategy;
}

/// <summary>The TestKit plus helpers the router tests share.</summary>
public abstract class RoutingTestKit : TestKit
{
    /// <summary>The router's routees, in routing order.</summary>
    protected IReadOnlyList<Routee> RouteesOf(IActorRef router)
    {
        router.Tell(GetRoutees.Instance, TestActor);
        return ExpectMsg<Routees>().Members;
    }

    /// <summary>The actors behind the router's routees, in routing order.</summary>
    protected IReadOnlyList<IActorRef> RouteeActorsOf(IActorRef router) =>
        RouteesOf(router).Select(r => ((ActorRefRoutee)r).Actor).ToList();

    /// <summary>Takes <paramref name="n"/> <see cref="Routed"/> answers from the test actor.</summary>
    protected IReadOnlyList<Routed> ReceiveRouted(int n) => ReceiveN(n).Cast<Routed>().ToList();

    /// <summary>Top-level reporters named <paramref name="names"/>, and their paths.</summary>
    protected (IActorRef[] Actors, string[] Paths) Reporters(params string[] names) =>
        (names.Select(n => Sys.ActorOf(Props.Create<Reporter>(), n)).ToArray(), names.Select(n => "/user/" + n).ToArray());

    /// <summary>Waits until the router has exactly <paramref name="count"/> routees.</summary>
    protected Task AwaitRouteeCountAsync(IActorRef router, int count) =>
        AwaitAssertAsync(async () =>
        {
            var routees = await router.Ask<Routees>(GetRoutees.Instance, DefaultTimeout);
            Xunit.Assert.Equal(count, routees.Members.Count);
        });
}

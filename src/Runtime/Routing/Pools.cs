using ActorTasks.Actor;

namespace ActorTasks.Routing;

/// <summary>A pool that sends each message to the next routee in turn: <c>Props.Create&lt;Worker&gt;().WithRouter(new RoundRobinPool(5))</c>.</summary>
public sealed class RoundRobinPool(int nrOfInstances) : Pool(nrOfInstances)
{
    public new RoundRobinPool WithSupervisorStrategy(SupervisorStrategy strategy) => (RoundRobinPool)base.WithSupervisorStrategy(strategy);

    public override RoutingLogic CreateRoutingLogic(IActorContext context) => new RoundRobinRoutingLogic();
}

/// <summary>A pool that sends each message to a routee picked at random.</summary>
public sealed class RandomPool(int nrOfInstances) : Pool(nrOfInstances)
{
    public new RandomPool WithSupervisorStrategy(SupervisorStrategy strategy) => (RandomPool)base.WithSupervisorStrategy(strategy);

    public override RoutingLogic CreateRoutingLogic(IActorContext context) => new RandomRoutingLogic();
}

/// <summary>A pool that sends each message to the routee with the fewest queued messages, preferring an idle one.</summary>
public sealed class SmallestMailboxPool(int nrOfInstances) : Pool(nrOfInstances)
{
    public new SmallestMailboxPool WithSupervisorStrategy(SupervisorStrategy strategy) => (SmallestMailboxPool)base.WithSupervisorStrategy(strategy);

    public override RoutingLogic CreateRoutingLogic(IActorContext context) => new SmallestMailboxRoutingLogic();
}

/// <summary>A pool that sends every message to all of its routees.</summary>
public sealed class BroadcastPool(int nrOfInstances) : Pool(nrOfInstances)
{
    public new BroadcastPool WithSupervisorStrategy(SupervisorStrategy strategy) => (BroadcastPool)base.WithSupervisorStrategy(strategy);

    public override RoutingLogic CreateRoutingLogic(IActorContext context) => new BroadcastRoutingLogic();
}

/// <summary>
/// A pool that sends messages with the same key to the same routee (see <see cref="ConsistentHashingRoutingLogic"/>):
/// the key comes from <see cref="WithHashMapping"/>, <see cref="IConsistentHashable"/> or <see cref="ConsistentHashableEnvelope"/>.
/// </summary>
public sealed class ConsistentHashingPool : Pool
{
    public ConsistentHashingPool(int nrOfInstances, int virtualNodesFactor = 10, Func<object, object?>? hashMapping = null)
        : base(nrOfInstances)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualNodesFactor, 1);
        VirtualNodesFactor = virtualNodesFactor;
        HashMapping = hashMapping;
    }

    /// <summary>Points per routee on the hash ring; more spreads keys more evenly.</summary>
    public int VirtualNodesFactor { get; private set; }

    /// <summary>Gives a message's key, or null to fall back to <see cref="IConsistentHashable"/>.</summary>
    public Func<object, object?>? HashMapping { get; private set; }

    /// <summary>The same pool with a function that gives each message's key (null: no key from the mapping).</summary>
    public ConsistentHashingPool WithHashMapping(Func<object, object?> hashMapping)
    {
        ArgumentNullException.ThrowIfNull(hashMapping);
        var copy = (ConsistentHashingPool)MemberwiseClone();
        copy.HashMapping = hashMapping;
        return copy;
    }

    /// <summary>The same pool with another number of points per routee on the hash ring.</summary>
    public ConsistentHashingPool WithVirtualNodesFactor(int virtualNodesFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualNodesFactor, 1);
        var copy = (ConsistentHashingPool)MemberwiseClone();
        copy.VirtualNodesFactor = virtualNodesFactor;
        return copy;
    }

    public new ConsistentHashingPool WithSupervisorStrategy(SupervisorStrategy strategy) => (ConsistentHashingPool)base.WithSupervisorStrategy(strategy);

    public override RoutingLogic CreateRoutingLogic(IActorContext context) =>
        new ConsistentHashingRoutingLogic(context, VirtualNodesFactor, HashMapping);
}

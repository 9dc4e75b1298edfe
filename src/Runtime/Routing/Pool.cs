using ActorTasks.Actor;

namespace ActorTasks.Routing;

/// <summary>
/// A router that creates its routees as its own children from the routee props and supervises them with
/// <see cref="SupervisorStrategy"/>. A routee that stops is dropped; the router stops when none is left.
/// </summary>
public abstract class Pool : RouterConfig
{
    protected Pool(int nrOfInstances)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nrOfInstances);
        NrOfInstances = nrOfInstances;
    }

    /// <summary>How many routees the router creates when it starts.</summary>
    public int NrOfInstances { get; }

    /// <summary>How the router supervises its routees; the default restarts a failed routee (<see cref="Actor.SupervisorStrategy.DefaultDecider"/>).</summary>
    public SupervisorStrategy SupervisorStrategy { get; private set; } = SupervisorStrategy.Default;

    /// <summary>The same pool with another supervisor strategy for its routees (Escalate fails the router itself).</summary>
    public Pool WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var copy = (Pool)MemberwiseClone();
        copy.SupervisorStrategy = strategy;
        return copy;
    }

    /// <summary>A fresh routing logic for one router actor (each router owns its own).</summary>
    public abstract RoutingLogic CreateRoutingLogic(IActorContext context);

    /// <summary>Props for this pool over routees built from <paramref name="routeeProps"/>: <c>routeeProps.WithRouter(this)</c>.</summary>
    public Props Props(Props routeeProps)
    {
        ArgumentNullException.ThrowIfNull(routeeProps);
        return routeeProps.WithRouter(this);
    }

    public override Props CreateRouterProps(Props routeeProps)
    {
        ArgumentNullException.ThrowIfNull(routeeProps);
        return Actor.Props.CreateBy(() => new PoolRouterActor(this, routeeProps));
    }

    public override string ToString() => $"{GetType().Name}({NrOfInstances})";
}

/// <summary>The router actor of a <see cref="Pool"/>: its routees are its children.</summary>
internal sealed class PoolRouterActor : RouterActor
{
    private readonly Pool _pool;
    private readonly Props _routeeProps;

    public PoolRouterActor(Pool pool, Props routeeProps)
        : base(pool.CreateRoutingLogic(Context), pool.StopRouterWhenAllRouteesRemoved)
    {
        _pool = pool;
        _routeeProps = routeeProps;
    }

    protected override SupervisorStrategy SupervisorStrategy() => _pool.SupervisorStrategy;

    protected override void PreStart() => CreateRoutees(_pool.NrOfInstances);

    /// <summary>Adopts the children that survived the restart (the cell restarts them); starts afresh if none did.</summary>
    protected override void PostRestart(Exception reason)
    {
        var survivors = Context.Children.ToList();
        if (survivors.Count == 0)
        {
            CreateRoutees(_pool.NrOfInstances);
            return;
        }
        // Children come in no particular order; creation order ($1, $2, ...) keeps round-robin predictable.
        survivors.Sort(static (a, b) => CompareCreationOrder(a.Path.Name, b.Path.Name));
        foreach (var child in survivors) AddRoutee(new ActorRefRoutee(child));
    }

    protected override bool AdjustPoolSize(int change)
    {
        if (change > 0)
        {
            CreateRoutees(change);
        }
        else if (change < 0)
        {
            var routees = CurrentRoutees;
            var removed = false;
            for (var i = routees.Length - 1; i >= Math.Max(0, routees.Length + change); i--)
                removed |= RemoveRoutee(routees[i], stopChild: true);
            if (removed) StopIfAllRouteesRemoved();
        }
        return true;
    }

    private void CreateRoutees(int count)
    {
        for (var i = 0; i < count; i++) AddRoutee(new ActorRefRoutee(Context.ActorOf(_routeeProps)));
    }

    private static int CompareCreationOrder(string a, string b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
}

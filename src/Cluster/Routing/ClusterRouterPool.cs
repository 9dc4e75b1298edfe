using ActorTasks.Actor;
using ActorTasks.Routing;

namespace ActorTasks.Cluster.Routing;

/// <summary>
/// A cluster-aware pool: the router deploys its routees as its own children on the Up, reachable members (with the
/// settings' role), at most <see cref="ClusterRouterPoolSettings.MaxInstancesPerNode"/> each and
/// <see cref="ClusterRouterPoolSettings.TotalInstances"/> in all, and supervises them with the pool's strategy, across
/// the wire for routees on other members. Routees on a member that becomes unreachable, leaves or is downed are dropped,
/// and new ones are deployed where there is room.
/// </summary>
public sealed class ClusterRouterPool : RouterConfig
{
    /// <summary>A cluster pool routing like <paramref name="pool"/>; the pool's own size is ignored (the settings decide).</summary>
    public ClusterRouterPool(Pool pool, ClusterRouterPoolSettings settings)
    {
        Pool = pool ?? throw new ArgumentNullException(nameof(pool));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
    }

    /// <summary>The local pool whose routing logic and supervisor strategy the router uses.</summary>
    public Pool Pool { get; }

    /// <summary>How many routees, where.</summary>
    public ClusterRouterPoolSettings Settings { get; }

    /// <summary>Members come and go, so the router keeps running without routees and deploys again when one comes up.</summary>
    public override bool StopRouterWhenAllRouteesRemoved => false;

    /// <summary>Props for the router over routees built from <paramref name="routeeProps"/>: <c>routeeProps.WithRouter(this)</c>.</summary>
    public Props Props(Props routeeProps)
    {
        ArgumentNullException.ThrowIfNull(routeeProps);
        return routeeProps.WithRouter(this);
    }

    /// <summary>
    /// Refuses routee props that cannot be deployed on another member (a type not registered as deployable, props made
    /// from a delegate, arguments that cannot be serialized): any member may join later, so every pool may deploy remotely.
    /// </summary>
    public override void Validate(Props routeeProps, ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(routeeProps);
        var cluster = Cluster.Get(system);
        var where = Settings.UseRole is { } role ? $"members with role '{role}'" : "other cluster members";
        _ = cluster.Provider.EncodeDeployable(routeeProps, $"{where} (as routees of a cluster pool)");
    }

    public override Props CreateRouterProps(Props routeeProps)
    {
        ArgumentNullException.ThrowIfNull(routeeProps);
        return Actor.Props.CreateBy(() => new ClusterPoolRouterActor(this, routeeProps));
    }

    public override string ToString() =>
        $"ClusterRouterPool({Pool.GetType().Name}, total {Settings.TotalInstances}, {Settings.MaxInstancesPerNode} per node, " +
        $"role {Settings.UseRole ?? "any"}, local routees {(Settings.AllowLocalRoutees ? "allowed" : "not allowed")})";
}

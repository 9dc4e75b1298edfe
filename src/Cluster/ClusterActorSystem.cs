using ActorTasks.Actor;
using ActorTasks.Configuration;
using ActorTasks.Hocon;
using ActorTasks.Cluster.Protocol;
using ActorTasks.Remote;
using ActorTasks.Remote.Serialization;
using Serilog;

namespace ActorTasks.Cluster;

/// <summary>Creates actor systems whose configuration may make them cluster members (<c>actortasks.actor.provider = cluster</c>).</summary>
public static class ClusterActorSystem
{
    /// <summary>
    /// Creates the system as <see cref="RemoteActorSystem.CreateAsync"/> does; with <c>provider = cluster</c> it also
    /// starts the cluster and joins <c>actortasks.cluster.seed-nodes</c> (when set). The cluster's messages are added
    /// to <paramref name="registry"/>.
    /// </summary>
    public static async Task<ActorSystem> CreateAsync(string name, Config? config = null, SerializerRegistry? registry = null,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var resolved = config is null ? ReferenceConfig.Load() : config.WithFallback(ReferenceConfig.Load());
        var isCluster = RuntimeSettings.Create(resolved).Provider == "cluster";
        var settings = isCluster ? ClusterSettings.Create(resolved) : null; // checked before anything starts
        registry = ClusterSerialization.Register(registry ?? SerializerRegistry.CreateDefault());
        var system = await RemoteActorSystem.CreateAsync(name, resolved, registry, logger, cancellationToken).ConfigureAwait(false);
        if (settings is null) return system;
        var cluster = Cluster.Start(system, settings);
        if (settings.SeedNodes.Count > 0) cluster.JoinSeedNodes(settings.SeedNodes);
        return system;
    }
}

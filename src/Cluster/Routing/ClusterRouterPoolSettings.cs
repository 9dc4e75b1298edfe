namespace ActorTasks.Cluster.Routing;

/// <summary>
/// Where a <see cref="ClusterRouterPool"/> deploys its routees: at most <see cref="TotalInstances"/> over the cluster and
/// <see cref="MaxInstancesPerNode"/> on each Up member with <see cref="UseRole"/>.
/// </summary>
public sealed record ClusterRouterPoolSettings
{
    private readonly TimeSpan _redeployDelay = TimeSpan.FromSeconds(1);

    /// <summary>Settings for a pool of at most <paramref name="totalInstances"/> routees, <paramref name="maxInstancesPerNode"/> per member.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When either count is below 1.</exception>
    public ClusterRouterPoolSettings(int totalInstances, int maxInstancesPerNode, bool allowLocalRoutees = true, string? useRole = null)
    {
        if (totalInstances < 1)
            throw new ArgumentOutOfRangeException(nameof(totalInstances), totalInstances, "a cluster pool needs totalInstances of at least 1");
        if (maxInstancesPerNode < 1)
            throw new ArgumentOutOfRangeException(nameof(maxInstancesPerNode), maxInstancesPerNode, "a cluster pool needs maxInstancesPerNode of at least 1");
        if (useRole is { Length: 0 })
            throw new ArgumentException("useRole is a role name, or null for every member; it cannot be empty", nameof(useRole));
        TotalInstances = totalInstances;
        MaxInstancesPerNode = maxInstancesPerNode;
        AllowLocalRoutees = allowLocalRoutees;
        UseRole = useRole;
    }

    /// <summary>The most routees the pool keeps over the whole cluster.</summary>
    public int TotalInstances { get; }

    /// <summary>The most routees the pool deploys on one member.</summary>
    public int MaxInstancesPerNode { get; }

    /// <summary>Whether the router's own node hosts routees too (when it has the role).</summary>
    public bool AllowLocalRoutees { get; }

    /// <summary>Only members with this role host routees (null: every member).</summary>
    public string? UseRole { get; }

    /// <summary>How long the pool waits, after a routee stopped on its own, before deploying a replacement (so a routee that
    /// cannot start, or a node that is dying, is not retried in a tight loop). One second unless set.</summary>
    public TimeSpan RedeployDelay
    {
        get => _redeployDelay;
        init => _redeployDelay = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RedeployDelay), value, "the redeploy delay must be positive");
    }
}

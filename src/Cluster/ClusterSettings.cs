using ActorTasks.Actor;
using ActorTasks.Hocon;
using ActorTasks.Remote.FailureDetection;

namespace ActorTasks.Cluster;

/// <summary>Which split-brain strategy decides what to down when members become unreachable.</summary>
public enum DowningStrategy
{
    /// <summary>The side with more reachable members survives; on a tie, the side with the lowest address.</summary>
    KeepMajority,

    /// <summary>A side survives when it has at least <see cref="ClusterSettings.QuorumSize"/> members.</summary>
    StaticQuorum,

    /// <summary>The side with the oldest member survives (or, if the oldest is alone and down-if-alone is on, the other).</summary>
    KeepOldest,

    /// <summary>Nothing is downed automatically; unreachable members wait for <c>Cluster.Down</c>.</summary>
    Off,
}

/// <summary>Everything the cluster reads from <c>actortasks.cluster.*</c>.</summary>
public sealed record ClusterSettings
{
    public static ClusterSettings Default { get; } = new();

    /// <summary>Nodes to contact when joining; the first one forms the cluster when no other seed answers.</summary>
    public IReadOnlyList<Address> SeedNodes { get; init; } = [];

    /// <summary>How long the first seed waits for another seed before forming the cluster alone.</summary>
    public TimeSpan SeedNodeTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a joining node asks the seeds (or the node it joins) again.</summary>
    public TimeSpan RetryJoinInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>This node's roles, e.g. <c>seed</c>, <c>worker</c>.</summary>
    public IReadOnlySet<string> Roles { get; init; } = new HashSet<string>();

    /// <summary>Members that must be joining or up before the leader moves any of them to Up.</summary>
    public int MinNrOfMembers { get; init; } = 1;

    /// <summary>The same, per role.</summary>
    public IReadOnlyDictionary<string, int> MinNrOfMembersPerRole { get; init; } = new Dictionary<string, int>();

    /// <summary>How often a node sends its gossip to another.</summary>
    public TimeSpan GossipInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the leader moves members on (and the split-brain resolver checks).</summary>
    public TimeSpan LeaderActionsInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Heartbeats and the phi-accrual detector that marks members unreachable.</summary>
    public FailureDetectorSettings FailureDetector { get; init; } = new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(500),
        FirstHeartbeatEstimate = TimeSpan.FromMilliseconds(500),
        AcceptableHeartbeatPause = TimeSpan.FromMilliseconds(1500),
        MinStdDeviation = TimeSpan.FromMilliseconds(100),
        Threshold = 8,
    };

    /// <summary>How many other members send heartbeats to each member.</summary>
    public int MonitoredByNrOfMembers { get; init; } = 5;

    public DowningStrategy DowningStrategy { get; init; } = DowningStrategy.KeepMajority;

    /// <summary>How long the set of unreachable members must stay the same before the resolver acts.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>static-quorum: the members a side needs to survive.</summary>
    public int QuorumSize { get; init; }

    /// <summary>static-quorum / keep-oldest: count (or find the oldest) only among members with this role.</summary>
    public string? DowningRole { get; init; }

    /// <summary>keep-oldest: when the oldest is alone on its side, down it rather than the others.</summary>
    public bool DownIfAlone { get; init; } = true;

    /// <summary>Reads <c>actortasks.cluster.*</c>; a bad value throws <see cref="ConfigException"/> naming the key.</summary>
    public static ClusterSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        const string p = "actortasks.cluster.";
        var d = Default;
        var seeds = new List<Address>();
        if (config.HasPath(p + "seed-nodes"))
        {
            foreach (var text in config.GetStringList(p + "seed-nodes"))
            {
                if (!Address.TryParse(text, out var address, out var error) || address.Host is null || address.Port is null)
                    throw Invalid(config, p + "seed-nodes", $"'{text}' is not a node address such as actortasks://tasks@127.0.0.1:4053{(error is { Length: > 0 } ? $" ({error})" : "")}");
                seeds.Add(address);
            }
        }
        var perRole = new Dictionary<string, int>(StringComparer.Ordinal);
        if (config.HasPath(p + "role"))
        {
            foreach (var role in config.GetConfig(p + "role").Root.Keys)
                perRole[role] = config.GetInt($"{p}role.\"{role}\".min-nr-of-members", 1);
        }
        var strategyText = config.GetString(p + "split-brain-resolver.active-strategy", "keep-majority");
        var strategy = strategyText switch
        {
            "keep-majority" => DowningStrategy.KeepMajority,
            "static-quorum" => DowningStrategy.StaticQuorum,
            "keep-oldest" => DowningStrategy.KeepOldest,
            "off" => DowningStrategy.Off,
            _ => throw Invalid(config, p + "split-brain-resolver.active-strategy",
                $"expected keep-majority, static-quorum, keep-oldest or off but found '{strategyText}'"),
        };
        var fd = p + "failure-detector";
        var settings = new ClusterSettings
        {
            SeedNodes = seeds,
            SeedNodeTimeout = config.GetTimeSpan(p + "seed-node-timeout", d.SeedNodeTimeout),
            RetryJoinInterval = config.GetTimeSpan(p + "retry-join-interval", d.RetryJoinInterval),
            Roles = (config.HasPath(p + "roles") ? config.GetStringList(p + "roles") : []).ToHashSet(StringComparer.Ordinal),
            MinNrOfMembers = config.GetInt(p + "min-nr-of-members", d.MinNrOfMembers),
            MinNrOfMembersPerRole = perRole,
            GossipInterval = config.GetTimeSpan(p + "gossip-interval", d.GossipInterval),
            LeaderActionsInterval = config.GetTimeSpan(p + "leader-actions-interval", d.LeaderActionsInterval),
            FailureDetector = config.HasPath(fd) ? FailureDetectorSettings.Create(config, fd) : d.FailureDetector,
            MonitoredByNrOfMembers = config.GetInt(fd + ".monitored-by-nr-of-members", d.MonitoredByNrOfMembers),
            DowningStrategy = strategy,
            StableAfter = config.GetTimeSpan(p + "split-brain-resolver.stable-after", d.StableAfter),
            QuorumSize = config.GetInt(p + "split-brain-resolver.static-quorum.quorum-size", 0),
            DowningRole = NullIfEmpty(config.GetString(p + "split-brain-resolver.role", "")),
            DownIfAlone = config.GetBoolean(p + "split-brain-resolver.keep-oldest.down-if-alone", d.DownIfAlone),
        };
        foreach (var (key, problem) in settings.Problems())
            throw Invalid(config, p + key, problem);
        return settings;
    }

    /// <summary>Settings out of range, by key under <c>actortasks.cluster</c>.</summary>
    internal IEnumerable<(string Key, string Problem)> Problems()
    {
        if (SeedNodeTimeout <= TimeSpan.Zero) yield return ("seed-node-timeout", "must be positive");
        if (RetryJoinInterval <= TimeSpan.Zero) yield return ("retry-join-interval", "must be positive");
        if (MinNrOfMembers < 1) yield return ("min-nr-of-members", $"must be at least 1, not {MinNrOfMembers}");
        if (GossipInterval <= TimeSpan.Zero) yield return ("gossip-interval", "must be positive");
        if (LeaderActionsInterval <= TimeSpan.Zero) yield return ("leader-actions-interval", "must be positive");
        if (MonitoredByNrOfMembers < 1) yield return ("failure-detector.monitored-by-nr-of-members", "must be at least 1");
        if (StableAfter < TimeSpan.Zero) yield return ("split-brain-resolver.stable-after", "must not be negative");
        if (DowningStrategy == DowningStrategy.StaticQuorum && QuorumSize < 1)
            yield return ("split-brain-resolver.static-quorum.quorum-size", "must be at least 1 with the static-quorum strategy");
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static ConfigException Invalid(Config config, string key, string problem) =>
        new($"{key}: {problem}", config.GetValueOrNull(key)?.Origin, key);
}

using ActorTasks.Actor;
using ActorTasks.Cluster.Membership;
using ActorTasks.Cluster.Protocol;
using ActorTasks.Remote.FailureDetection;
using ActorTasks.Remote.Provider;

namespace ActorTasks.Cluster.Core;

/// <summary>
/// Heartbeats between members (<c>/system/cluster-heartbeat</c>): each member sends heartbeats to the next
/// <c>monitored-by-nr-of-members</c> members on a ring ordered by a hash of their addresses, and a phi-accrual
/// failure detector per monitored member tells the core when one becomes unreachable (or reachable again).
/// </summary>
internal sealed class ClusterHeartbeatSender : ReceiveActor, IWithTimers
{
    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private readonly ClusterSettings _settings;
    private readonly RemoteActorRefProvider _provider;
    private readonly UniqueAddress _self;
    private readonly TimeProvider _clock;
    private readonly Dictionary<UniqueAddress, PhiAccrualFailureDetector> _detectors = [];
    private readonly HashSet<UniqueAddress> _reportedUnreachable = [];
    private IActorRef _core = Nobody.Instance;
    private List<UniqueAddress> _monitored = [];

    public ClusterHeartbeatSender(ClusterSettings settings, RemoteActorRefProvider provider, UniqueAddress self, TimeProvider clock)
    {
        _settings = settings;
        _provider = provider;
        _self = self;
        _clock = clock;
        Receive<IActorRef>(core => _core = core);
        Receive<MembersChanged>(m => Rebuild(m.Nodes));
        Receive<Tick>(_ => OnTick());
        Receive<ClusterHeartbeat>(h => Sender.Tell(new ClusterHeartbeatResponse(ClusterSerialization.ToData(_self)), Self));
        Receive<ClusterHeartbeatResponse>(r =>
        {
            try
            {
                if (_detectors.TryGetValue(ClusterSerialization.FromData(r.From), out var detector)) detector.Heartbeat();
            }
            catch (FormatException)
            {
                // a malformed answer counts as none
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("tick", Tick.Instance, _settings.FailureDetector.HeartbeatInterval);

    private void Rebuild(IReadOnlyList<UniqueAddress> nodes)
    {
        _monitored = Ring(nodes, _self, _settings.MonitoredByNrOfMembers);
        foreach (var gone in _detectors.Keys.Except(_monitored).ToList())
        {
            _detectors.Remove(gone);
            _reportedUnreachable.Remove(gone);
        }
        foreach (var node in _monitored.Where(n => !_detectors.ContainsKey(n)))
        {
            // Starting to monitor counts as a first heartbeat: a member that never answers is suspected in time too.
            var detector = new PhiAccrualFailureDetector(_settings.FailureDetector, _clock);
            detector.Heartbeat();
            _detectors[node] = detector;
        }
    }

    /// <summary>The <paramref name="count"/> members after <paramref name="self"/> on a ring ordered by address hash.</summary>
    internal static List<UniqueAddress> Ring(IReadOnlyList<UniqueAddress> nodes, UniqueAddress self, int count)
    {
        // FNV-1a over the address text: stable across processes (string.GetHashCode is randomized per process).
        static ulong Hash(UniqueAddress n)
        {
            var hash = 14695981039346656037UL;
            foreach (var c in n.ToString()) hash = (hash ^ c) * 1099511628211UL;
            return hash;
        }
        var ring = nodes.Append(self).Distinct().OrderBy(Hash).ThenBy(n => n).ToList();
        var start = ring.IndexOf(self);
        var result = new List<UniqueAddress>();
        for (var i = 1; i < ring.Count && result.Count < count; i++) result.Add(ring[(start + i) % ring.Count]);
        return result;
    }

    private void OnTick()
    {
        foreach (var node in _monitored)
        {
            var target = _provider.ResolveRemote(new RootActorPath(node.Address).Child("system").Child("cluster-heartbeat"))!;
            _provider.SendQuietly(target, new ClusterHeartbeat(ClusterSerialization.ToData(_self)), Self);
            var available = _detectors[node].IsAvailable;
            if (!available && _reportedUnreachable.Add(node)) _core.Tell(new ReachabilityObserved(node, Reachable: false), Self);
            else if (available && _reportedUnreachable.Remove(node)) _core.Tell(new ReachabilityObserved(node, Reachable: true), Self);
        }
    }
}

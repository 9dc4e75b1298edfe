using System.Runtime.CompilerServices;
using ActorTasks.Actor;
using ActorTasks.Cluster.Core;
using ActorTasks.Cluster.Events;
using ActorTasks.Cluster.Membership;
using ActorTasks.Cluster.Protocol;
using ActorTasks.Remote.Provider;

namespace ActorTasks.Cluster;

/// <summary>
/// The cluster as seen from one node: join, leave, down, the current membership, and member events. One per actor
/// system, started by <see cref="ClusterActorSystem.CreateAsync"/> when <c>actortasks.actor.provider = cluster</c>.
/// </summary>
public sealed class Cluster
{
    private static readonly ConditionalWeakTable<ActorSystem, Cluster> Clusters = new();

    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _downed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _removed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Written only by the core daemon (one actor), read by anyone: an immutable snapshot swapped whole.
    private volatile CurrentClusterState _state = CurrentClusterState.Empty;
    private IActorRef _core = Nobody.Instance;

    private Cluster(ActorSystem system, ClusterSettings settings, RemoteActorRefProvider provider)
    {
        System = system;
        Settings = settings;
        Provider = provider;
        SelfUniqueAddress = new UniqueAddress(provider.ExternalAddress, provider.Uid);
    }

    /// <summary>The cluster of <paramref name="system"/>; throws when the system was not started with <c>provider = cluster</c>.</summary>
    public static Cluster Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return Clusters.TryGetValue(system, out var cluster)
            ? cluster
            : throw new InvalidOperationException(
                $"the actor system '{system.Name}' has no cluster: set actortasks.actor.provider = cluster and create it with ClusterActorSystem.CreateAsync");
    }

    /// <summary>Starts the cluster actors in a system whose remoting is already running; the node joins nothing yet.</summary>
    public static Cluster Start(ActorSystem system, ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        var provider = RemoteActorRefProvider.For(system)
            ?? throw new InvalidOperationException($"the actor system '{system.Name}' has no remoting: a cluster needs it");
        if (!provider.Registry.TryGetByType(typeof(InitJoin), out _))
            throw new InvalidOperationException("the cluster's messages are not registered: call ClusterSerialization.Register(registry) before remoting starts");
        var cluster = new Cluster(system, settings, provider);
        if (!Clusters.TryAdd(system, cluster)) throw new InvalidOperationException($"the actor system '{system.Name}' already has a cluster");
        var heartbeat = system.SystemActorOf(Props.CreateBy(() => new ClusterHeartbeatSender(settings, provider, cluster.SelfUniqueAddress, TimeProvider.System)), "cluster-heartbeat");
        cluster._core = system.SystemActorOf(Props.CreateBy(() => new ClusterCoreDaemon(cluster, heartbeat)), "cluster-core");
        heartbeat.Tell(cluster._core);
        _ = system.WhenTerminated.ContinueWith(_ => cluster._removed.TrySetResult(), TaskScheduler.Default);
        return cluster;
    }

    public ActorSystem System { get; }

    public ClusterSettings Settings { get; }

    internal RemoteActorRefProvider Provider { get; }

    /// <summary>This node's address and incarnation.</summary>
    public UniqueAddress SelfUniqueAddress { get; }

    public Address SelfAddress => SelfUniqueAddress.Address;

    /// <summary>The membership as this node last saw it.</summary>
    public CurrentClusterState State => _state;

    /// <summary>This node as a member, or null before it has joined.</summary>
    public Member? SelfMember => _state.Members.FirstOrDefault(m => m.Node.Equals(SelfUniqueAddress));

    /// <summary>Completes when this node is Up.</summary>
    public Task WhenUp => _up.Task;

    /// <summary>Completes when this node learns the cluster downed it (its actor system then terminates).</summary>
    public Task WhenDowned => _downed.Task;

    /// <summary>Completes when this node has left the cluster (Exiting or removed), or its system stopped.</summary>
    public Task WhenRemoved => _removed.Task;

    /// <summary>True once this node was downed.</summary>
    public bool IsDowned => _downed.Task.IsCompleted;

    /// <summary>Joins the cluster that <paramref name="address"/> is in (or forms one, when it is this node's own address).</summary>
    public void Join(Address address) => _core.Tell(new JoinTo(address));

    /// <summary>Joins through the first of <paramref name="seeds"/> that answers; the first seed forms the cluster when none does.</summary>
    public void JoinSeedNodes(IEnumerable<Address> seeds) => _core.Tell(new JoinSeedNodes([.. seeds]));

    /// <summary>Asks the member at <paramref name="address"/> to leave: Leaving, then Exiting, then removed.</summary>
    public void Leave(Address address) => _core.Tell(new LeaveRequest(address.ToString()));

    /// <summary>Declares the member at <paramref name="address"/> down; the leader removes it.</summary>
    public void Down(Address address) => _core.Tell(new DownRequest(address.ToString()));

    /// <summary>Leaves the cluster and waits (at most <paramref name="timeout"/>) until this node is out.</summary>
    public async Task<bool> LeaveAsync(TimeSpan timeout)
    {
        if (SelfMember is null) return true;
        Leave(SelfAddress);
        try
        {
            await WhenRemoved.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Runs <paramref name="callback"/> once this node is Up (at once if it already is).</summary>
    public void RegisterOnMemberUp(Action callback) => _up.Task.ContinueWith(_ => callback(), TaskScheduler.Default);

    /// <summary>Sends <paramref name="subscriber"/> the current state, then every event of the given types (default: all).</summary>
    public void Subscribe(IActorRef subscriber, params Type[] eventTypes) =>
        _core.Tell(new SubscribeToEvents(subscriber, eventTypes.Length == 0 ? [typeof(ClusterDomainEvent)] : eventTypes));

    public void Unsubscribe(IActorRef subscriber) => _core.Tell(new UnsubscribeFromEvents(subscriber));

    internal void Publish(CurrentClusterState state) => _state = state;

    internal void MarkUp() => _up.TrySetResult();

    internal void MarkDowned()
    {
        _downed.TrySetResult();
        _removed.TrySetResult();
    }

    internal void MarkRemoved() => _removed.TrySetResult();
}

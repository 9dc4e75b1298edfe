using System.Collections.Immutable;
using ActorTasks.Actor;
using ActorTasks.Cluster.Events;
using ActorTasks.Cluster.Membership;
using ActorTasks.Cluster.Protocol;
using ActorTasks.Remote.Provider;
using Serilog;

namespace ActorTasks.Cluster.Core;

/// <summary>
/// The cluster's core on one node (<c>/system/cluster-core</c>): it owns this node's view of the membership (the
/// gossip), joins through seed nodes, exchanges gossip with other nodes, moves members on when it is the leader,
/// applies the split-brain resolver, and publishes member events. The gossip is its private state; others see
/// immutable snapshots.
/// </summary>
internal sealed partial class ClusterCoreDaemon : ReceiveActor, IWithTimers
{
    private readonly Cluster _cluster;
    private readonly ClusterSettings _settings;
    private readonly RemoteActorRefProvider _provider;
    private readonly UniqueAddress _self;
    private readonly IActorRef _heartbeat;
    private readonly ILogger _log;
    private readonly HashSet<IActorRef> _subscribers = [];
    private Gossip _gossip = Gossip.Empty;
    private bool _isMember;
    private bool _shuttingDown;

    public ClusterCoreDaemon(Cluster cluster, IActorRef heartbeat)
    {
        _cluster = cluster;
        _settings = cluster.Settings;
        _provider = cluster.Provider;
        _self = cluster.SelfUniqueAddress;
        _heartbeat = heartbeat;
        _log = Context.GetLogger();

        Receive<JoinTo>(m => StartJoin([m.Address], firstSeedMayFormCluster: m.Address.Equals(_self.Address)));
        Receive<JoinSeedNodes>(m => StartJoin(m.Seeds, firstSeedMayFormCluster: m.Seeds.Count > 0 && m.Seeds[0].Equals(_self.Address)));
        Receive<JoinRetryTick>(_ => OnJoinRetry());
        Receive<SeedTimeout>(_ => OnSeedTimeout());
        Receive<InitJoin>(OnInitJoin);
        Receive<InitJoinAck>(OnInitJoinAck);
        Receive<InitJoinNack>(_ => { });
        Receive<JoinRequest>(OnJoinRequest);
        Receive<Welcome>(OnWelcome);
        Receive<GossipEnvelope>(OnGossip);
        Receive<GossipTick>(_ => GossipToSomeone());
        Receive<LeaderActionsTick>(_ => OnLeaderActionsTick());
        Receive<ExitLingerDone>(_ => _cluster.MarkRemoved());
        Receive<LeaveRequest>(m => ChangeStatus(m.Address, MemberStatus.Leaving));
        Receive<DownRequest>(m => ChangeStatus(m.Address, MemberStatus.Down));
        Receive<ReachabilityObserved>(OnReachabilityObserved);
        Receive<SubscribeToEvents>(OnSubscribe);
        Receive<UnsubscribeFromEvents>(m =>
        {
            _subscribers.Remove(m.Subscriber);
            Context.System.EventStream.Unsubscribe(m.Subscriber);
        });
        Receive<Terminated>(t =>
        {
            if (_subscribers.Remove(t.ActorRef)) Context.System.EventStream.Unsubscribe(t.ActorRef);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("gossip", GossipTick.Instance, _settings.GossipInterval);
        Timers.StartPeriodicTimer("leader-actions", LeaderActionsTick.Instance, _settings.LeaderActionsInterval);
    }

    private IActorRef CoreAt(Address node) =>
        _provider.ResolveRemote(new RootActorPath(node).Child("system").Child("cluster-core"))!;

    private static bool TryRead<T>(Func<T> read, out T value, ILogger log, string what)
    {
        try
        {
            value = read();
            return true;
        }
        catch (FormatException e)
        {
            log.Warning("dropped a malformed {What}: {Reason}", what, e.Message);
            value = default!;
            return false;
        }
    }

    private void OnSubscribe(SubscribeToEvents m)
    {
        // The state first, then the events: both from this actor, so nothing falls between them.
        m.Subscriber.Tell(_cluster.State, Self);
        foreach (var type in m.EventTypes) Context.System.EventStream.Subscribe(m.Subscriber, type);
        if (_subscribers.Add(m.Subscriber)) Context.Watch(m.Subscriber);
    }

    /// <summary>Installs a new gossip: publishes what changed, tells the heartbeat actor, and reacts to this node's own fate.</summary>
    private void Install(Gossip next)
    {
        var previous = _gossip;
        _gossip = next;
        var state = SnapshotOf(next);
        _cluster.Publish(state);
        foreach (var e in ClusterEventDiff.Between(previous, next, SnapshotOf(previous).Leader, state.Leader))
            Context.System.EventStream.Publish(e);
        // Exiting members are about to stop and are removed whether they answer or not: no heartbeats to them.
        var monitored = Monitored(next);
        if (!Monitored(previous).SequenceEqual(monitored)) _heartbeat.Tell(new MembersChanged(monitored), Self);
        CheckOwnFate(previous, next);
    }

    private static UniqueAddress[] Monitored(Gossip gossip) =>
        [.. gossip.Members.Values.Where(m => m.Status != MemberStatus.Exiting).Select(m => m.Node)];

    private static CurrentClusterState SnapshotOf(Gossip gossip)
    {
        var unreachable = gossip.Unreachable;
        return new CurrentClusterState(
            [.. gossip.Members.Values],
            gossip.Members.Values.Where(m => unreachable.Contains(m.Node)).ToHashSet(),
            gossip.Leader?.Address);
    }

    private void CheckOwnFate(Gossip previous, Gossip next)
    {
        if (_shuttingDown || !_isMember) return;
        var me = next.Member(_self);
        var before = previous.Member(_self);
        if (me?.Status == MemberStatus.Up) _cluster.MarkUp();
        // Removed without having asked to leave means the others downed this node.
        var downed = me?.Status == MemberStatus.Down
            || (me is null && before is not null && before.Status is not (MemberStatus.Leaving or MemberStatus.Exiting));
        if (downed)
        {
            _shuttingDown = true;
            _log.Error("this node ({Node}) was downed by the cluster; shutting its actor system down", _self.Address);
            _cluster.MarkDowned();
            _ = Context.System.Terminate();
        }
        else if (me?.Status == MemberStatus.Exiting || (me is null && before is not null))
        {
            _shuttingDown = true;
            _log.Information("this node ({Node}) has left the cluster", _self.Address);
            // Tell everyone before going quiet, so they remove this node instead of finding it unreachable; and stay
            // (answering heartbeats and gossiping) for two gossip rounds, so that a member that missed this message
            // still learns that this node is Exiting before it stops hearing from it.
            foreach (var member in next.Members.Keys.Where(n => !n.Equals(_self))) SendGossip(member);
            if (me is null) _cluster.MarkRemoved();
            else Timers.StartSingleTimer("exit-linger", ExitLingerDone.Instance, _settings.GossipInterval * 2);
        }
    }
}

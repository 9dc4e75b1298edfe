using ActorTasks.Actor;
using ActorTasks.Dispatch;
using ActorTasks.Remote.FailureDetection;
using ActorTasks.Remote.Provider;

namespace ActorTasks.Remote.Watch;

/// <summary>
/// Remote death watch on the watching side (<c>/system/remote-watcher</c>). It remembers which local actors watch
/// which remote ones, sends the watched nodes a heartbeat every interval, and when a node's answers stop (its phi
/// passes the threshold) or the node restarts with a new incarnation, tells every local watcher — and every
/// local parent of a child deployed there — that those actors are dead. It also answers other nodes' heartbeats.
/// </summary>
internal sealed class RemoteWatcher : ReceiveActor, IWithTimers
{
    private sealed record HeartbeatTick;

    private sealed record CheckTick;

    // A parent tracking its remote child (IsChild) and the same actor watching it are two entries, so that an
    // Unwatch ends the watch but not the parent's tracking: the parent must still learn when the child's node dies.
    private readonly record struct Entry(IActorRef Watchee, IInternalActorRef Watcher, bool IsChild);

    private readonly RemoteActorRefProvider _provider;
    private readonly RemoteSettings _settings;
    private readonly TimeProvider _clock;
    // Watches by the watchee's path without uid (a watcher may hold a ref without one); per path, few entries.
    private readonly Dictionary<string, List<Entry>> _watches = new(StringComparer.Ordinal);
    private readonly Dictionary<Address, int> _watchCountByNode = [];
    private readonly Dictionary<Address, PhiAccrualFailureDetector> _detectors = [];
    private readonly Dictionary<Address, long> _incarnations = [];

    public RemoteWatcher(RemoteActorRefProvider provider, RemoteSettings settings, TimeProvider clock)
    {
        _provider = provider;
        _settings = settings;
        _clock = clock;
        Receive<WatchRemote>(m => Add(new Entry(m.Watchee, m.Watcher, IsChild: false), sendWatch: true));
        Receive<TrackRemoteChild>(m => Add(new Entry(m.Child, m.Parent, IsChild: true), sendWatch: false));
        Receive<UnwatchRemote>(OnUnwatch);
        Receive<InboundDeathWatchNotification>(OnDeathWatchNotification);
        Receive<AddressTerminated>(m => TerminateNode(m.Address, m.Reason));
        Receive<HeartbeatTick>(_ => SendHeartbeats());
        Receive<CheckTick>(_ => CheckDetectors());
        Receive<RemoteHeartbeat>(_ => Sender.Tell(new RemoteHeartbeatResponse(_provider.Uid), Self));
        Receive<RemoteHeartbeatResponse>(OnHeartbeatResponse);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        var interval = _settings.WatchFailureDetector.HeartbeatInterval;
        Timers.StartPeriodicTimer("heartbeat", new HeartbeatTick(), interval);
        // Checked more often than heartbeats are sent, so a dead node is noticed soon after phi passes the threshold.
        Timers.StartPeriodicTimer("check", new CheckTick(), interval / 4);
    }

    private static string KeyOf(IActorRef actor) => actor.Path.ToString();

    private void Add(Entry entry, bool sendWatch)
    {
        var key = KeyOf(entry.Watchee);
        if (!_watches.TryGetValue(key, out var entries)) _watches[key] = entries = [];
        if (entries.Contains(entry)) return;
        entries.Add(entry);
        var node = entry.Watchee.Path.Address;
        _watchCountByNode[node] = _watchCountByNode.GetValueOrDefault(node) + 1;
        if (!_detectors.ContainsKey(node))
        {
            // The watch itself counts as the first sign of life: a node that never answers is declared dead
            // after the same bound as one that stops answering.
            var detector = new PhiAccrualFailureDetector(_settings.WatchFailureDetector, _clock);
            detector.Heartbeat();
            _detectors[node] = detector;
            SendHeartbeat(node);
        }
        if (sendWatch)
            _provider.SendSystemEnvelope(entry.Watchee, new RemoteWatch(_provider.PathOf(entry.Watchee), _provider.PathOf(entry.Watcher)));
    }

    private void OnUnwatch(UnwatchRemote m)
    {
        if (Remove(new Entry(m.Watchee, m.Watcher, IsChild: false)))
            _provider.SendSystemEnvelope(m.Watchee, new RemoteUnwatch(_provider.PathOf(m.Watchee), _provider.PathOf(m.Watcher)));
    }

    private bool Remove(Entry entry)
    {
        var key = KeyOf(entry.Watchee);
        if (!_watches.TryGetValue(key, out var entries) || !entries.Remove(entry)) return false;
        if (entries.Count == 0) _watches.Remove(key);
        var node = entry.Watchee.Path.Address;
        if (_watchCountByNode.TryGetValue(node, out var count) && count > 1)
        {
            _watchCountByNode[node] = count - 1;
        }
        else
        {
            // Nothing watched there any more: stop heartbeating it (a later watch starts afresh).
            _watchCountByNode.Remove(node);
            _detectors.Remove(node);
        }
        return true;
    }

    private void OnDeathWatchNotification(InboundDeathWatchNotification m)
    {
        // Deliver with the ref the watcher used (it may lack the uid the notification carries), once per watch.
        var delivered = false;
        HashSet<IActorRef>? sent = null;
        if (_watches.TryGetValue(KeyOf(m.Actor), out var entries))
        {
            foreach (var entry in entries.ToArray())
            {
                if (!entry.Watcher.Equals(m.Recipient)) continue;
                var uid = entry.Watchee.Path.Uid;
                if (uid != ActorPath.UndefinedUid && uid != m.Actor.Path.Uid) continue;
                Remove(entry);
                // A parent that also watches its child has two entries with the same ref: one notification serves both.
                if (!(sent ??= []).Add(entry.Watchee)) continue;
                entry.Watcher.SendSystemMessage(new DeathWatchNotification(entry.Watchee, m.Notification.ExistenceConfirmed, m.Notification.AddressTerminated));
                delivered = true;
            }
        }
        if (!delivered)
            m.Recipient.SendSystemMessage(new DeathWatchNotification(m.Actor, m.Notification.ExistenceConfirmed, m.Notification.AddressTerminated));
    }

    private void SendHeartbeats()
    {
        foreach (var node in _detectors.Keys) SendHeartbeat(node);
    }

    private void CheckDetectors()
    {
        List<Address>? dead = null;
        foreach (var (node, detector) in _detectors)
        {
            if (!detector.IsAvailable) (dead ??= []).Add(node);
        }
        if (dead is null) return;
        foreach (var node in dead)
            TerminateNode(node, $"its heartbeats stopped (phi above {_settings.WatchFailureDetector.Threshold})");
    }

    private void SendHeartbeat(Address node) =>
        _provider.SendQuietly(_provider.RemoteWatcherAt(node), new RemoteHeartbeat(), Self);

    private void OnHeartbeatResponse(RemoteHeartbeatResponse response)
    {
        var node = Sender.Path.Address;
        if (_incarnations.TryGetValue(node, out var known) && known != response.Uid)
        {
            TerminateNode(node, $"it restarted (incarnation {known} is now {response.Uid})");
            return;
        }
        _incarnations[node] = response.Uid;
        if (_detectors.TryGetValue(node, out var detector)) detector.Heartbeat();
    }

    /// <summary>Every actor watched on <paramref name="node"/> is dead: tell each watcher (and parent) once.</summary>
    private void TerminateNode(Address node, string reason)
    {
        _incarnations.Remove(node);
        var gone = _watches.Values.SelectMany(e => e).Where(e => e.Watchee.Path.Address.Equals(node)).ToArray();
        if (gone.Length == 0 && !_detectors.ContainsKey(node)) return;
        Context.GetLogger().Warning("node {Node} is considered dead because {Reason}: {Count} watches end with Terminated",
            node, reason, gone.Length);
        foreach (var entry in gone) Remove(entry);
        foreach (var (watchee, watcher) in gone.Select(e => (e.Watchee, e.Watcher)).Distinct())
            watcher.SendSystemMessage(new DeathWatchNotification(watchee, existenceConfirmed: true, addressTerminated: true));
        _watchCountByNode.Remove(node);
        _detectors.Remove(node);
    }
}

using ActorTasks.Actor;
using ActorTasks.Cluster.Events;
using ActorTasks.Cluster.Membership;
using ActorTasks.Event;

namespace ActorTasks.Cluster.Singleton;

/// <summary>
/// Sends messages to the cluster singleton wherever it runs: it finds the instance under
/// <c>{oldest member}/{managerPath}/singleton</c>, forwards to it, and while the singleton is moving (or not yet
/// found) keeps up to <c>bufferSize</c> messages in order, sending the overflow to dead letters.
/// </summary>
public sealed class ClusterSingletonProxy : ReceiveActor, IWithTimers
{
    private sealed record Identify;

    private readonly string _managerPath;
    private readonly string? _role;
    private readonly int _bufferSize;
    private readonly Cluster _cluster;
    private readonly Dictionary<UniqueAddress, Member> _members = [];
    private readonly Queue<(object Message, IActorRef Sender)> _buffer = new();
    private IActorRef? _singleton;

    public ClusterSingletonProxy(string managerPath, string? role, int bufferSize)
    {
        _managerPath = managerPath.StartsWith('/') ? managerPath : "/" + managerPath;
        _role = role;
        _bufferSize = bufferSize;
        _cluster = Cluster.Get(Context.System);
        Receive<CurrentClusterState>(s =>
        {
            foreach (var m in s.Members) _members[m.Node] = m;
            Lookup();
        });
        Receive<MemberEvent>(e =>
        {
            if (e is MemberRemoved) _members.Remove(e.Member.Node);
            else _members[e.Member.Node] = e.Member;
            Lookup();
        });
        Receive<Identify>(_ => Lookup());
        Receive<ActorIdentity>(OnIdentity);
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(_singleton)) return;
            _singleton = null;
            Lookup();
        });
        ReceiveAny(m =>
        {
            if (_singleton is not null)
            {
                _singleton.Forward(m);
                return;
            }
            if (_buffer.Count >= _bufferSize)
            {
                var (dropped, sender) = _buffer.Dequeue();
                Context.System.DeadLetters.Tell(new DeadLetter(dropped, sender, Self), sender);
            }
            _buffer.Enqueue((m, Sender));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for a proxy to the singleton managed at <paramref name="managerPath"/> (e.g. <c>/user/jobs-manager</c>).</summary>
    public static Props Props(string managerPath, string? role = null, int bufferSize = 1000) =>
        Actor.Props.CreateBy(() => new ClusterSingletonProxy(managerPath, role, bufferSize));

    protected override void PreStart() => _cluster.Subscribe(Self, typeof(MemberEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    // Asks the oldest Up member for the instance; asks again every 500 ms until one answers.
    private void Lookup()
    {
        var oldest = _members.Values.Where(m => m.Status == MemberStatus.Up && (_role is null || m.HasRole(_role)))
            .Aggregate((Member?)null, (a, b) => a is null || b.IsOlderThan(a) ? b : a);
        if (_singleton is not null && oldest is not null && _singleton.Path.Address.Equals(oldest.Node.Address)) return;
        if (oldest is not null)
            Context.ActorSelection($"{oldest.Node.Address}{_managerPath}/{ClusterSingletonManager.SingletonName}").Tell(new ActorTasks.Actor.Identify(oldest.Node.ToString()), Self);
        Timers.StartSingleTimer("identify", new Identify(), TimeSpan.FromMilliseconds(500));
    }

    private void OnIdentity(ActorIdentity identity)
    {
        if (identity.Subject is not { } singleton || singleton.Equals(_singleton)) return;
        if (_singleton is not null) Context.Unwatch(_singleton);
        _singleton = singleton;
        Context.Watch(singleton);
        Timers.Cancel("identify");
        while (_buffer.TryDequeue(out var item)) singleton.Tell(item.Message, item.Sender);
    }
}

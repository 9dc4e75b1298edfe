using System.Diagnostics;
using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Configuration;
using Akka.Event;

namespace ActorTasks.Tasks.Resources;

/// <summary>
/// Named resources with a number of permits each, handed out as leases in strict FIFO order; a holder's leases
/// are released the moment it dies (death watch, not timeouts).
/// </summary>
/// <remarks>
/// Fairness is strict: a request waits until every request queued before it on the same resource was granted,
/// even when its own permits are free. A big request at the head therefore holds back later small ones until
/// enough permits are free for it — no request is ever starved by a stream of smaller ones.
/// <para>
/// A resource configured with 0 permits is sized to the nodes that run consumers: one permit per consumer pool that
/// registered (<see cref="RegisterConsumerPool"/>) with at least one consumer — one per worker, with a seed that runs
/// consumers counted too — at least one in all, following nodes as they come and go.
/// </para>
/// <para>
/// A request may name a resource that does not exist yet with the permits to create it with
/// (<see cref="Acquire.CreatePermits"/>, e.g. one resource per web host); such a resource is forgotten again
/// when nobody holds or waits for it, so the table holds only what is in use.
/// </para>
/// </remarks>
public sealed class ResourceManager : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log;
    private readonly Dictionary<string, Resource> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Lease> _leases = [];
    private readonly Dictionary<IActorRef, Party> _parties = [];
    private readonly Dictionary<IActorRef, int> _pools = [];
    private readonly HashSet<string> _sizedToConsumers;
    private long _lastLeaseId;

    /// <summary>Creates the manager with the resources of <paramref name="settings"/>.</summary>
    public ResourceManager(TaskSystemSettings settings)
    {
        _log = Context.GetLogger();
        _sizedToConsumers = [.. settings.Resources.Where(r => r.Value == 0).Select(r => r.Key)];
        foreach (var (name, permits) in settings.Resources) Define(name, permits == 0 ? ConsumerPermits() : permits);

        Receive<DefineResource>(OnDefine);
        Receive<Acquire>(OnAcquire);
        Receive<Release>(OnRelease);
        Receive<CancelAcquire>(OnCancelAcquire);
        Receive<WaitExpired>(OnWaitExpired);
        Receive<GetResources>(_ => Sender.Tell(Report(), Self));
        Receive<RegisterConsumerPool>(OnRegisterPool);
        Receive<Terminated>(t => _pools.ContainsKey(t.ActorRef), t =>
        {
            _pools.Remove(t.ActorRef);
            ResizeToConsumers();
        });
        Receive<Terminated>(OnTerminated);
    }

    /// <summary>Set by the runtime: this actor's timers.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for a resource manager.</summary>
    public static Props Props(TaskSystemSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Akka.Actor.Props.Create(() => new ResourceManager(settings));
    }

    private void OnDefine(DefineResource define)
    {
        if (string.IsNullOrWhiteSpace(define.Name) || define.Permits < 1)
        {
            Sender.Tell(new ResourceNotDefined(define.Name ?? "", define.Permits,
                $"a resource needs a name and at least 1 permit, but got name '{define.Name}' and {define.Permits} permits"), Self);
            return;
        }
        // Sized by hand, and kept when unused like the resources of the settings, from now on.
        _sizedToConsumers.Remove(define.Name);
        if (_resources.TryGetValue(define.Name, out var existing)) existing.OnDemand = false;
        Define(define.Name, define.Permits);
        Sender.Tell(new ResourceDefined(define.Name, define.Permits), Self);
    }

    private void Define(string name, int permits)
    {
        if (!_resources.TryGetValue(name, out var resource))
        {
            _resources.Add(name, new Resource(name, permits));
            _log.Debug("Resource {Resource} defined with {Permits} permits", name, permits);
            return;
        }
        // Held permits stay held: with fewer permits than are held, Available is negative until enough come back.
        resource.Available += permits - resource.Permits;
        resource.Permits = permits;
        foreach (var waiter in resource.Waiters.Where(w => w.Permits > permits).ToList())
        {
            Dequeue(waiter);
            waiter.Requester.Tell(new AcquireRejected(waiter.RequestId, name,
                $"asks for {waiter.Permits} permits, but the resource now has only {permits}"), Self);
        }
        GrantWaiting(resource);
    }

    private void OnRegisterPool(RegisterConsumerPool register)
    {
        if (register.Pool is null || register.Pool.IsNobody() || register.Consumers < 0) return;
        if (!_pools.ContainsKey(register.Pool)) Context.Watch(register.Pool);
        _pools[register.Pool] = register.Consumers;
        ResizeToConsumers();
        Sender.Tell(new ConsumerPoolRegistered(_pools.Values.Sum()), Self);
    }

    private int ConsumerPermits() => Math.Max(1, _pools.Values.Count(consumers => consumers > 0));

    private void ResizeToConsumers()
    {
        var permits = ConsumerPermits();
        foreach (var name in _sizedToConsumers)
        {
            if (_resources[name].Permits == permits) continue;
            _log.Info("Resource {Resource} sized to the nodes that run consumers: {Permits} permits", name, permits);
            Define(name, permits);
        }
    }

    private void OnAcquire(Acquire acquire)
    {
        var requester = Sender;
        var name = acquire.Name ?? "";
        var problem = requester.IsNobody() ? "the request has no sender to grant the permits to" : CheckAcquire(acquire, name);
        if (problem is not null)
        {
            _log.Debug("Acquire {RequestId} of {Resource} from {Requester} rejected: {Problem}", acquire.RequestId, name, requester.Path, problem);
            requester.Tell(new AcquireRejected(acquire.RequestId, name, problem), Self);
            if (_resources.TryGetValue(name, out var created)) ForgetIfUnused(created);
            return;
        }

        var resource = _resources[name];
        if (resource.Waiters.Count == 0 && resource.Available >= acquire.Permits)
        {
            Grant(resource, requester, acquire.RequestId, acquire.Permits);
            return;
        }
        if (acquire.Timeout == TimeSpan.Zero)
        {
            requester.Tell(new AcquireTimedOut(acquire.RequestId, name, acquire.Permits, TimeSpan.Zero), Self);
            ForgetIfUnused(resource);
            return;
        }
        var waiter = new Waiter(resource, requester, acquire.RequestId, acquire.Permits, DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
        waiter.Node = resource.Waiters.AddLast(waiter);
        PartyOf(requester).Waiting.Add(waiter);
        if (acquire.Timeout != Timeout.InfiniteTimeSpan)
            Timers.StartSingleTimer(waiter, new WaitExpired(waiter), acquire.Timeout);
    }

    private string? CheckAcquire(Acquire acquire, string name)
    {
        if (acquire.CreatePermits < 0) return $"asks to create the resource with {acquire.CreatePermits} permits";
        if (!_resources.TryGetValue(name, out var resource))
        {
            if (acquire.CreatePermits == 0 || string.IsNullOrWhiteSpace(name)) return $"no resource is named '{name}'; defined: {DefinedNames()}";
            resource = new Resource(name, acquire.CreatePermits) { OnDemand = true };
            _resources.Add(name, resource);
            _log.Debug("Resource {Resource} created on first use with {Permits} permits", name, acquire.CreatePermits);
        }
        if (acquire.Permits < 1) return $"asks for {acquire.Permits} permits; at least 1 is needed";
        if (acquire.Permits > resource.Permits) return $"asks for {acquire.Permits} permits, but the resource has only {resource.Permits}";
        if (acquire.Timeout < TimeSpan.Zero && acquire.Timeout != Timeout.InfiniteTimeSpan) return $"has a negative timeout {acquire.Timeout}";
        return null;
    }

    private void OnRelease(Release release)
    {
        if (!_leases.Remove(release.LeaseId, out var lease))
        {
            _log.Debug("Release of unknown lease {LeaseId} from {Sender} ignored (already released, or its holder died)", release.LeaseId, Sender.Path);
            return;
        }
        var party = _parties[lease.Holder];
        party.Leases.Remove(lease);
        lease.Resource.Available += lease.Permits;
        lease.Resource.Leases.Remove(lease);
        ForgetIfIdle(lease.Holder, party);
        GrantWaiting(lease.Resource);
    }

    private void OnCancelAcquire(CancelAcquire cancel)
    {
        if (!_parties.TryGetValue(Sender, out var party)) return;
        var waiter = party.Waiting.Find(w => w.RequestId == cancel.RequestId);
        if (waiter is null) return; // granted, expired or unknown: nothing is queued under it
        Dequeue(waiter);
        GrantWaiting(waiter.Resource);
    }

    private void OnWaitExpired(WaitExpired expired)
    {
        var waiter = expired.Waiter;
        if (waiter.Node is null) return; // granted or gone meanwhile
        Dequeue(waiter);
        waiter.Requester.Tell(new AcquireTimedOut(waiter.RequestId, waiter.Resource.Name, waiter.Permits,
            Stopwatch.GetElapsedTime(waiter.Timestamp)), Self);
        // The head may have been what held the others back.
        GrantWaiting(waiter.Resource);
    }

    private void OnTerminated(Terminated terminated)
    {
        if (!_parties.Remove(terminated.ActorRef, out var party)) return;
        var touched = new HashSet<Resource>();
        foreach (var waiter in party.Waiting.ToList())
        {
            RemoveWaiter(waiter);
            touched.Add(waiter.Resource);
        }
        foreach (var lease in party.Leases)
        {
            _leases.Remove(lease.Id);
            lease.Resource.Leases.Remove(lease);
            lease.Resource.Available += lease.Permits;
            touched.Add(lease.Resource);
        }
        if (party.Leases.Count > 0)
            _log.Info("{Holder} stopped holding {Count} leases; their permits are free again", terminated.ActorRef.Path, party.Leases.Count);
        foreach (var resource in touched) GrantWaiting(resource);
    }

    // Every change that can leave a resource unused ends here: a release, a grant, a wait that expired or was withdrawn.
    private void GrantWaiting(Resource resource)
    {
        while (resource.Waiters.First is { } head && head.Value.Permits <= resource.Available)
        {
            var waiter = head.Value;
            Dequeue(waiter);
            Grant(resource, waiter.Requester, waiter.RequestId, waiter.Permits);
        }
        ForgetIfUnused(resource);
    }

    private void ForgetIfUnused(Resource resource)
    {
        if (!resource.OnDemand || resource.Leases.Count > 0 || resource.Waiters.Count > 0) return;
        _resources.Remove(resource.Name);
        _log.Debug("Resource {Resource}, created on first use, is unused and forgotten", resource.Name);
    }

    private void Grant(Resource resource, IActorRef holder, long requestId, int permits)
    {
        var lease = new Lease(++_lastLeaseId, resource, holder, permits, DateTimeOffset.UtcNow);
        resource.Available -= permits;
        resource.Leases.Add(lease);
        _leases.Add(lease.Id, lease);
        PartyOf(holder).Leases.Add(lease);
        holder.Tell(new Granted(requestId, lease.Id, resource.Name, permits), Self);
    }

    private void Dequeue(Waiter waiter)
    {
        RemoveWaiter(waiter);
        if (_parties.TryGetValue(waiter.Requester, out var party))
        {
            party.Waiting.Remove(waiter);
            ForgetIfIdle(waiter.Requester, party);
        }
    }

    private void RemoveWaiter(Waiter waiter)
    {
        if (waiter.Node is null) return;
        waiter.Resource.Waiters.Remove(waiter.Node);
        waiter.Node = null;
        Timers.Cancel(waiter);
    }

    private Party PartyOf(IActorRef actor)
    {
        if (!_parties.TryGetValue(actor, out var party))
        {
            party = new Party();
            _parties.Add(actor, party);
            Context.Watch(actor);
        }
        return party;
    }

    private void ForgetIfIdle(IActorRef actor, Party party)
    {
        if (party.Leases.Count > 0 || party.Waiting.Count > 0) return;
        _parties.Remove(actor);
        Context.Unwatch(actor);
    }

    private ResourcesReport Report() => new([.. _resources.Values
        .OrderBy(r => r.Name, StringComparer.Ordinal)
        .Select(r => new ResourceStatus(r.Name, r.Permits, r.Available,
            [.. r.Leases.Select(l => new ResourceLease(l.Id, l.Holder.Path.ToString(), l.Permits, l.Since))],
            [.. r.Waiters.Select(w => new ResourceWaiter(w.RequestId, w.Requester.Path.ToString(), w.Permits, w.Since))]))]);

    private string DefinedNames() =>
        _resources.Count == 0 ? "(none)" : string.Join(", ", _resources.Keys.Order(StringComparer.Ordinal));

    private sealed class Resource(string name, int permits)
    {
        public string Name { get; } = name;

        public int Permits { get; set; } = permits;

        public int Available { get; set; } = permits;

        /// <summary>Created by a request rather than defined: forgotten when unused.</summary>
        public bool OnDemand { get; set; }

        public List<Lease> Leases { get; } = [];

        public LinkedList<Waiter> Waiters { get; } = new();
    }

    private sealed record Lease(long Id, Resource Resource, IActorRef Holder, int Permits, DateTimeOffset Since);

    private sealed class Waiter(Resource resource, IActorRef requester, long requestId, int permits, DateTimeOffset since, long timestamp)
    {
        public Resource Resource { get; } = resource;

        public IActorRef Requester { get; } = requester;

        public long RequestId { get; } = requestId;

        public int Permits { get; } = permits;

        public DateTimeOffset Since { get; } = since;

        public long Timestamp { get; } = timestamp;

        /// <summary>Its place in the resource's queue; null once it left the queue.</summary>
        public LinkedListNode<Waiter>? Node { get; set; }
    }

    /// <summary>An actor that holds leases or waits, watched so that its death frees them.</summary>
    private sealed class Party
    {
        public List<Lease> Leases { get; } = [];

        public List<Waiter> Waiting { get; } = [];
    }

    private sealed record WaitExpired(Waiter Waiter) : INoSerializationVerificationNeeded;
}

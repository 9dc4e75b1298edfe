using Akka.Actor;

namespace ActorTasks.Messages;

/// <summary>Creates the named resource with <paramref name="Permits"/> permits, or changes its permits; answered with <see cref="ResourceDefined"/> or <see cref="ResourceNotDefined"/>.</summary>
public sealed record DefineResource(string Name, int Permits) : ITaskSystemMessage;

/// <summary>The resource now has <paramref name="Permits"/> permits.</summary>
public sealed record ResourceDefined(string Name, int Permits) : ITaskSystemMessage;

/// <summary>The definition was refused (no name, or fewer than one permit); <paramref name="Reason"/> says why.</summary>
public sealed record ResourceNotDefined(string Name, int Permits, string Reason) : ITaskSystemMessage;

/// <summary>
/// Asks for <paramref name="Permits"/> permits of a resource, waiting in FIFO order at most <paramref name="Timeout"/>
/// (zero: only if free now; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: as long as it takes). Answered with
/// exactly one of <see cref="Granted"/>, <see cref="AcquireTimedOut"/> or <see cref="AcquireRejected"/>, each carrying <paramref name="RequestId"/>.
/// </summary>
/// <param name="CreatePermits">
/// When no resource has the name yet, create it with this many permits first (0: the request is rejected instead). A
/// resource created so is forgotten again once nobody holds or waits for it; one defined with <see cref="DefineResource"/>
/// (or in the settings) stays, and an existing resource keeps its permits whatever a request says.
/// </param>
public sealed record Acquire(string Name, int Permits, TimeSpan Timeout, long RequestId, int CreatePermits = 0) : ITaskSystemMessage;

/// <summary>
/// Withdraws the sender's queued request <paramref name="RequestId"/> (its task was dropped); no answer. A
/// <see cref="Granted"/> that crossed it on the way is the sender's to release.
/// </summary>
public sealed record CancelAcquire(long RequestId) : ITaskSystemMessage;

/// <summary>The permits are the sender's until it sends <see cref="Release"/> with <paramref name="LeaseId"/> or stops.</summary>
public sealed record Granted(long RequestId, long LeaseId, string Name, int Permits) : ITaskSystemMessage;

/// <summary>The permits did not become free within the timeout; the request is no longer queued.</summary>
public sealed record AcquireTimedOut(long RequestId, string Name, int Permits, TimeSpan Waited) : ITaskSystemMessage;

/// <summary>The request can never be granted (unknown resource, or more permits than it has) or is malformed.</summary>
public sealed record AcquireRejected(long RequestId, string Name, string Reason) : ITaskSystemMessage;

/// <summary>
/// A node's consumer pool offers <paramref name="Consumers"/> task runners, so that resources sized to the workers
/// (<c>resources { disk = 0 }</c>) grow with it; answered with <see cref="ConsumerPoolRegistered"/>. The manager
/// death-watches the pool: when its node goes, the resources shrink again.
/// </summary>
public sealed record RegisterConsumerPool(IActorRef Pool, int Consumers) : ITaskSystemMessage;

/// <summary>The pool counts; <paramref name="TotalConsumers"/> consumers are registered in all.</summary>
public sealed record ConsumerPoolRegistered(int TotalConsumers) : ITaskSystemMessage;

/// <summary>Gives a lease's permits back; an unknown lease is ignored.</summary>
public sealed record Release(long LeaseId) : ITaskSystemMessage;

/// <summary>Asks for a <see cref="ResourcesReport"/>.</summary>
public sealed record GetResources : ITaskSystemMessage
{
    /// <summary>The one instance (the message has no fields).</summary>
    public static readonly GetResources Instance = new();
}

/// <summary>Every resource, by name.</summary>
public sealed record ResourcesReport(IReadOnlyList<ResourceStatus> Resources) : ITaskSystemMessage;

/// <summary>One resource: its permits, how many are free, who holds leases and who waits, in queue order.</summary>
public sealed record ResourceStatus(
    string Name,
    int Permits,
    int Available,
    IReadOnlyList<ResourceLease> Holders,
    IReadOnlyList<ResourceWaiter> Waiters);

/// <summary>A lease held by the actor at path <paramref name="Holder"/> since <paramref name="Since"/>.</summary>
public sealed record ResourceLease(long LeaseId, string Holder, int Permits, DateTimeOffset Since);

/// <summary>A queued request of the actor at path <paramref name="Waiter"/>, waiting since <paramref name="Since"/>.</summary>
public sealed record ResourceWaiter(long RequestId, string Waiter, int Permits, DateTimeOffset Since);

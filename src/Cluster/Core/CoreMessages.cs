using ActorTasks.Actor;
using ActorTasks.Cluster.Membership;

namespace ActorTasks.Cluster.Core;

// Messages inside one node, between the Cluster extension, the core daemon and the heartbeat actor; never serialized.

internal sealed record JoinTo(Address Address);

internal sealed record JoinSeedNodes(IReadOnlyList<Address> Seeds);

internal sealed record SubscribeToEvents(IActorRef Subscriber, Type[] EventTypes);

internal sealed record UnsubscribeFromEvents(IActorRef Subscriber);

/// <summary>The heartbeat actor's verdict about one node, as observed from this node.</summary>
internal sealed record ReachabilityObserved(UniqueAddress Node, bool Reachable);

/// <summary>The core tells the heartbeat actor which nodes are members now.</summary>
internal sealed record MembersChanged(IReadOnlyList<UniqueAddress> Nodes);

internal sealed record GossipTick
{
    public static readonly GossipTick Instance = new();
}

internal sealed record LeaderActionsTick
{
    public static readonly LeaderActionsTick Instance = new();
}

/// <summary>An exiting member has lingered long enough for the others to learn that it is Exiting.</summary>
internal sealed record ExitLingerDone
{
    public static readonly ExitLingerDone Instance = new();
}

internal sealed record JoinRetryTick
{
    public static readonly JoinRetryTick Instance = new();
}

internal sealed record SeedTimeout
{
    public static readonly SeedTimeout Instance = new();
}

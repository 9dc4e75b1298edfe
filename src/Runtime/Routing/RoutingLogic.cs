using System.Collections.Immutable;
using ActorTasks.Actor;

namespace ActorTasks.Routing;

/// <summary>
/// Picks the routee for one message. Each router actor creates its own instance and calls it only while handling
/// a message, so an implementation may keep plain, unsynchronized state.
/// </summary>
public abstract class RoutingLogic
{
    /// <summary>The routee for <paramref name="message"/>, or <see cref="NoRoutee.Instance"/> when there is none.</summary>
    public abstract Routee Select(object message, ImmutableArray<Routee> routees);
}

/// <summary>Each message goes to the next routee in turn.</summary>
public sealed class RoundRobinRoutingLogic : RoutingLogic
{
    private uint _next;

    public override Routee Select(object message, ImmutableArray<Routee> routees)
    {
        if (routees.IsEmpty) return NoRoutee.Instance;
        // Unsigned so that wrapping after 2^32 messages never yields a negative index.
        return routees[(int)(_next++ % (uint)routees.Length)];
    }
}

/// <summary>Each message goes to a routee picked at random.</summary>
public sealed class RandomRoutingLogic : RoutingLogic
{
    private readonly Random _random;

    public RandomRoutingLogic() : this(Random.Shared) { }

    /// <summary>With a seeded <see cref="Random"/> for reproducible tests; the instance must not be shared with other threads.</summary>
    internal RandomRoutingLogic(Random random) => _random = random;

    public override Routee Select(object message, ImmutableArray<Routee> routees) =>
        routees.IsEmpty ? NoRoutee.Instance : routees[_random.Next(routees.Length)];
}

/// <summary>Each message goes to every routee.</summary>
public sealed class BroadcastRoutingLogic : RoutingLogic
{
    // One SeveralRoutees per routee set rather than one per message.
    private SeveralRoutees? _all;

    public override Routee Select(object message, ImmutableArray<Routee> routees)
    {
        if (routees.IsEmpty) return NoRoutee.Instance;
        if (_all is null || _all.Routees != routees) _all = new SeveralRoutees(routees);
        return _all;
    }
}

/// <summary>
/// Each message goes to the routee with the fewest queued messages: an idle local routee with an empty mailbox at once,
/// otherwise the lowest score, ties to the earliest routee. Routees whose queue cannot be seen (remote actors,
/// selections) come after every local one that can; stopped ones last.
/// </summary>
public sealed class SmallestMailboxRoutingLogic : RoutingLogic
{
    private const long Unknown = long.MaxValue - 1;
    private const long Dead = long.MaxValue;

    public override Routee Select(object message, ImmutableArray<Routee> routees)
    {
        if (routees.IsEmpty) return NoRoutee.Instance;
        var best = routees[0];
        var bestScore = Dead;
        foreach (var routee in routees)
        {
            var score = Score(routee);
            if (score == 0) return routee;
            if (score < bestScore)
            {
                best = routee;
                bestScore = score;
            }
        }
        return best;
    }

    private static long Score(Routee routee)
    {
        if (routee is not ActorRefRoutee { Actor: var actor }) return Unknown;
        if (actor is not LocalActorRef local) return actor is IInternalActorRef { IsTerminated: true } ? Dead : Unknown;
        var cell = local.Cell;
        if (cell.IsTerminated) return Dead;
        // Read from the router's thread while the routee's own thread may be changing it: a benign race, since
        // the score is only a hint. An actor that cannot take its next message now (still starting, suspended,
        // awaiting an async handler, restarting) counts as one more queued message.
        // HasMessages first: it is cheaper than counting, and the idle case is the one to find fast.
        var queued = cell.Mailbox.Queue.HasMessages ? cell.Mailbox.NumberOfMessages : 0;
        return queued + (cell.CanProcessUserMessages ? 0 : 1);
    }
}

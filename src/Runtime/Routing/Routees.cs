using System.Collections.Immutable;
using ActorTasks.Actor;

namespace ActorTasks.Routing;

/// <summary>A destination a router sends to: an actor, a selection, several of them, or none.</summary>
public abstract record Routee
{
    /// <summary>Sends <paramref name="message"/> with <paramref name="sender"/> as its sender.</summary>
    public abstract void Send(object message, IActorRef sender);
}

/// <summary>A routee that is one actor.</summary>
public sealed record ActorRefRoutee(IActorRef Actor) : Routee
{
    public IActorRef Actor { get; } = Actor ?? throw new ArgumentNullException(nameof(Actor));

    public override void Send(object message, IActorRef sender) => Actor.Tell(message, sender);
}

/// <summary>A routee that is whatever a path selects at the moment of sending (dead letters when nothing matches).</summary>
public sealed record ActorSelectionRoutee(ActorSelection Selection) : Routee
{
    public ActorSelection Selection { get; } = Selection ?? throw new ArgumentNullException(nameof(Selection));

    public override void Send(object message, IActorRef sender) => Selection.Tell(message, sender);

    // ActorSelection compares by reference; two selections of the same path are the same routee,
    // so that RemoveRoutee works with a selection the caller built itself.
    public bool Equals(ActorSelectionRoutee? other) =>
        other is not null && string.Equals(Selection.PathString, other.Selection.PathString, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Selection.PathString);
}

/// <summary>No destination: what a routing logic returns when it has nowhere to send; the router dead-letters the message.</summary>
public sealed record NoRoutee : Routee
{
    public static readonly NoRoutee Instance = new();

    private NoRoutee() { }

    public override void Send(object message, IActorRef sender) { }
}

/// <summary>Several destinations at once: <see cref="Send"/> sends to each.</summary>
public sealed record SeveralRoutees(ImmutableArray<Routee> Routees) : Routee
{
    public override void Send(object message, IActorRef sender)
    {
        foreach (var routee in Routees) routee.Send(message, sender);
    }
}

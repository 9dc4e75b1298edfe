namespace ActorTasks.Routing;

/// <summary>Delivers <see cref="Message"/> (unwrapped) to every routee of the router that receives it, whatever its routing logic.</summary>
public sealed record Broadcast(object Message)
{
    public object Message { get; } = Message ?? throw new ArgumentNullException(nameof(Message));
}

/// <summary>Asks a router for its current routees; it answers the sender with <see cref="Routees"/>.</summary>
public sealed class GetRoutees
{
    public static readonly GetRoutees Instance = new();

    private GetRoutees() { }

    public override string ToString() => "GetRoutees";
}

/// <summary>A router's answer to <see cref="GetRoutees"/>: its routees in routing order.</summary>
public sealed record Routees(IReadOnlyList<Routee> Members);

/// <summary>Adds a routee to the router that receives it; the router watches an actor routee and drops it when it stops.</summary>
public sealed record AddRoutee(Routee Routee)
{
    public Routee Routee { get; } = Routee ?? throw new ArgumentNullException(nameof(Routee));
}

/// <summary>Removes a routee from the router that receives it; a pool stops the routee if it is its child.</summary>
public sealed record RemoveRoutee(Routee Routee)
{
    public Routee Routee { get; } = Routee ?? throw new ArgumentNullException(nameof(Routee));
}

/// <summary>Grows (positive) or shrinks (negative) a pool by that many routees; groups leave it unhandled.</summary>
public sealed record AdjustPoolSize(int Change);

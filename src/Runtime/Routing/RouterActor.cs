using System.Collections.Immutable;
using ActorTasks.Actor;

namespace ActorTasks.Routing;

/// <summary>
/// The actor behind every router: it sends each message to the routee(s) its <see cref="RoutingLogic"/> picks,
/// keeping the original sender, handles the router management messages, and drops routees it watched when they stop.
/// </summary>
public abstract class RouterActor : ActorBase
{
    private readonly RoutingLogic _logic;
    private readonly bool _stopWhenAllRouteesRemoved;

    // Replaced, never mutated: a logic may cache what it derived from one array (a hash ring) by reference.
    private ImmutableArray<Routee> _routees = ImmutableArray<Routee>.Empty;

    protected RouterActor(RoutingLogic logic, bool stopWhenAllRouteesRemoved)
    {
        _logic = logic ?? throw new ArgumentNullException(nameof(logic));
        _stopWhenAllRouteesRemoved = stopWhenAllRouteesRemoved;
    }

    /// <summary>The current routees, in routing order.</summary>
    protected ImmutableArray<Routee> CurrentRoutees => _routees;

    protected sealed override bool Receive(object message)
    {
        switch (message)
        {
            case Broadcast broadcast:
                SendToAll(broadcast.Message);
                return true;
            case Terminated terminated:
                if (RemoveRoutee(new ActorRefRoutee(terminated.ActorRef), stopChild: false))
                {
                    OnRouteeTerminated(terminated);
                    StopIfAllRouteesRemoved();
                }
                return true;
            case GetRoutees:
                Sender.Tell(new Routees(_routees), Self);
                return true;
            case AddRoutee add:
                AddRoutee(add.Routee);
                return true;
            case RemoveRoutee remove:
                if (RemoveRoutee(remove.Routee, stopChild: true)) StopIfAllRouteesRemoved();
                return true;
            case AdjustPoolSize adjust:
                return AdjustPoolSize(adjust.Change);
            default:
                if (!ReceiveRouterMessage(message)) Route(message);
                return true;
        }
    }

    private void Route(object message)
    {
        var routee = _logic.Select(message, _routees);
        var payload = message is ConsistentHashableEnvelope envelope ? envelope.Message : message;
        if (ReferenceEquals(routee, NoRoutee.Instance)) DeadLetter(payload);
        else routee.Send(payload, Sender);
    }

    private void SendToAll(object message)
    {
        if (_routees.IsEmpty)
        {
            DeadLetter(message);
            return;
        }
        var sender = Sender;
        foreach (var routee in _routees) routee.Send(message, sender);
    }

    private void DeadLetter(object message) => Cell.System.DeadLetterRef.Deliver(message, Sender, Self);

    /// <summary>Adds a routee (once; adding it again does nothing) and watches it when it is an actor.</summary>
    protected void AddRoutee(Routee routee)
    {
        ArgumentNullException.ThrowIfNull(routee);
        switch (routee)
        {
            case NoRoutee:
                return;
            case SeveralRoutees several:
                foreach (var r in several.Routees) AddRoutee(r);
                return;
        }
        if (_routees.Contains(routee)) return;
        if (routee is ActorRefRoutee { Actor: var actor }) Context.Watch(actor);
        _routees = _routees.Add(routee);
    }

    /// <summary>
    /// Removes a routee and unwatches it; with <paramref name="stopChild"/>, a routee that is this router's child gets a
    /// PoisonPill. False when it was not a routee.
    /// </summary>
    protected bool RemoveRoutee(Routee routee, bool stopChild)
    {
        ArgumentNullException.ThrowIfNull(routee);
        if (routee is SeveralRoutees several)
        {
            var any = false;
            foreach (var r in several.Routees) any |= RemoveRoutee(r, stopChild);
            return any;
        }
        var index = _routees.IndexOf(routee);
        if (index < 0) return false;
        _routees = _routees.RemoveAt(index);
        if (routee is ActorRefRoutee { Actor: var actor })
        {
            Context.Unwatch(actor);
            // PoisonPill rather than Stop: the routee finishes the messages already routed to it (as in Akka).
            if (stopChild && Context.Child(actor.Path.Name).Equals(actor)) actor.Tell(PoisonPill.Instance, Self);
        }
        return true;
    }

    /// <summary>Stops this router when it has no routee left and its config says so; called after a removal.</summary>
    protected void StopIfAllRouteesRemoved()
    {
        if (_routees.IsEmpty && _stopWhenAllRouteesRemoved) Context.Stop(Self);
    }

    /// <summary>
    /// Handles a message of the router's own protocol (e.g. member events for a cluster router) instead of routing it;
    /// true when handled. The default handles none.
    /// </summary>
    protected virtual bool ReceiveRouterMessage(object message) => false;

    /// <summary>Called after a routee that stopped was dropped (its <see cref="Terminated"/>); the default does nothing.</summary>
    protected virtual void OnRouteeTerminated(Terminated terminated) { }

    /// <summary>Handles <see cref="Routing.AdjustPoolSize"/>; false (the default) leaves it unhandled.</summary>
    protected virtual bool AdjustPoolSize(int change) => false;

    /// <summary>Keeps the routees: the cell restarts the children that survive, and the new instance adopts them.</summary>
    protected override void PreRestart(Exception reason, object? message) { }
}

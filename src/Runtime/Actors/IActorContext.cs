using Serilog;

namespace ActorTasks.Actor;

/// <summary>A message handler: true when the message was handled.</summary>
public delegate bool Receive(object message);

/// <summary>Anything that can create actors: the system (top-level) or an actor's context (children).</summary>
public interface IActorRefFactory
{
    /// <summary>Creates an actor; a name must be unique among its siblings and must not contain '/'.</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>A selection of actors by path, absolute (<c>/user/a</c>, <c>actortasks://sys/user/a</c>) or relative.</summary>
    ActorSelection ActorSelection(string path);
}

/// <summary>What an actor sees of itself and its place in the tree while it handles a message.</summary>
public interface IActorContext : IActorRefFactory
{
    IActorRef Self { get; }

    /// <summary>The sender of the message being handled (Nobody when sent from outside an actor).</summary>
    IActorRef Sender { get; }

    IActorRef Parent { get; }

    Props Props { get; }

    ActorSystem System { get; }

    IEnumerable<IActorRef> Children { get; }

    /// <summary>The child with that name, or Nobody.</summary>
    IActorRef Child(string name);

    /// <summary>Stops a child (or this actor) after the message being handled.</summary>
    void Stop(IActorRef child);

    /// <summary>Receive <see cref="Terminated"/> when <paramref name="subject"/> stops (at once when it is already dead).</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>No more <see cref="Terminated"/> for <paramref name="subject"/>, even one already queued.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Replaces the current behavior.</summary>
    void Become(Receive receive);

    /// <summary>Pushes a behavior; <see cref="UnbecomeStacked"/> pops it.</summary>
    void BecomeStacked(Receive receive);

    void UnbecomeStacked();

    /// <summary>Sends <see cref="ReceiveTimeout"/> after this long without a message; null turns it off.</summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    TimeSpan? ReceiveTimeout { get; }

    /// <summary>A Serilog logger enriched with this actor's path.</summary>
    ILogger GetLogger();
}

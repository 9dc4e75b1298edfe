namespace ActorTasks.Actor;

/// <summary>Base of the runtime's own exceptions.</summary>
public class ActorTasksException : Exception
{
    public ActorTasksException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>An actor name that is not allowed, or already taken by a sibling.</summary>
public sealed class InvalidActorNameException(string message) : ActorTasksException(message);

/// <summary>An actor's constructor or <c>PreStart</c> threw.</summary>
public sealed class ActorInitializationException : ActorTasksException
{
    public ActorInitializationException(IActorRef? actor, string message, Exception? inner = null)
        : base(message, inner) => Actor = actor;

    public IActorRef? Actor { get; }
}

/// <summary>The failure a <see cref="Kill"/> message causes.</summary>
public sealed class ActorKilledException(string message) : ActorTasksException(message);

/// <summary>A watched actor terminated and the watcher did not handle <see cref="Terminated"/>.</summary>
public sealed class DeathPactException(IActorRef deadActor)
    : ActorTasksException($"monitored actor {deadActor} terminated and the Terminated message was not handled")
{
    public IActorRef DeadActor { get; } = deadActor;
}

/// <summary>An Ask got no reply within its timeout.</summary>
public sealed class AskTimeoutException(string message) : ActorTasksException(message);

/// <summary>An Ask could not be delivered because its recipient is terminated.</summary>
public sealed class AskTerminatedException(string message) : ActorTasksException(message);

/// <summary>Something that should never happen in a consistent actor state (e.g. stashing the same message twice).</summary>
public sealed class IllegalActorStateException(string message) : ActorTasksException(message);

/// <summary>A message or props was used in a way the runtime cannot accept.</summary>
public sealed class InvalidMessageException(string message) : ActorTasksException(message);

using ActorTasks.Dispatch;

namespace ActorTasks.Actor;

/// <summary>A handle to an actor: the only way to talk to it. Safe to share between threads and actors.</summary>
public interface IActorRef : IEquatable<IActorRef>, IComparable<IActorRef>
{
    ActorPath Path { get; }

    /// <summary>Sends a message without waiting; <paramref name="sender"/> becomes the receiver's <c>Sender</c>.</summary>
    void Tell(object message, IActorRef? sender);
}

/// <summary>Runtime-side view of a ref: system messages, liveness, the provider that made it.</summary>
internal interface IInternalActorRef : IActorRef
{
    bool IsTerminated { get; }

    bool IsLocal { get; }

    void SendSystemMessage(SystemMessage message);
}

/// <summary>The ref for "no actor": messages to it are dropped, and it is the sender of messages sent from outside actors.</summary>
public sealed class Nobody : IInternalActorRef
{
    public static readonly Nobody Instance = new();

    private Nobody() { }

    public ActorPath Path { get; } = new RootActorPath(Address.Local("nobody")).Child("nobody");
    public bool IsTerminated => true;
    public bool IsLocal => true;

    public void Tell(object message, IActorRef? sender) { }

    void IInternalActorRef.SendSystemMessage(SystemMessage message)
    {
        // A watch of Nobody answers at once, as for any dead actor.
        if (message is Watch w && w.Watcher is IInternalActorRef watcher)
            watcher.SendSystemMessage(new DeathWatchNotification(this, existenceConfirmed: false, addressTerminated: false));
    }

    public bool Equals(IActorRef? other) => ReferenceEquals(this, other);
    public int CompareTo(IActorRef? other) => other is null ? 1 : Path.CompareTo(other.Path);
    public override string ToString() => "Nobody";
}

/// <summary>Common equality for refs: same path and same incarnation uid.</summary>
public abstract class ActorRefBase : IInternalActorRef
{
    public abstract ActorPath Path { get; }
    public abstract bool IsTerminated { get; }
    public virtual bool IsLocal => true;

    public abstract void Tell(object message, IActorRef? sender);

    internal abstract void SendSystemMessage(SystemMessage message);

    void IInternalActorRef.SendSystemMessage(SystemMessage message) => SendSystemMessage(message);

    public bool Equals(IActorRef? other) =>
        other is not null && Path.Uid == other.Path.Uid && Path.Equals(other.Path);

    public override bool Equals(object? obj) => obj is IActorRef r && Equals(r);

    public override int GetHashCode() => HashCode.Combine(Path.Uid, Path);

    public int CompareTo(IActorRef? other)
    {
        if (other is null) return 1;
        var c = Path.CompareTo(other.Path);
        return c != 0 ? c : Path.Uid.CompareTo(other.Path.Uid);
    }

    public override string ToString() => $"[{Path.ToStringWithUid()}]";
}

/// <summary>Sending helpers in Akka.NET's style.</summary>
public static class ActorRefExtensions
{
    /// <summary>
    /// Sends with the current actor as sender, like <c>Tell</c> inside a receive in Akka.NET; outside actors,
    /// the <see cref="ImplicitSender"/> of the current async flow (a TestKit sets its TestActor), else Nobody.
    /// </summary>
    public static void Tell(this IActorRef receiver, object message) =>
        receiver.Tell(message, ActorCell.Current?.Self ?? ImplicitSender.Current ?? Nobody.Instance);

    /// <summary>Sends, keeping the current message's sender as the sender.</summary>
    public static void Forward(this IActorRef receiver, object message)
    {
        var cell = ActorCell.Current ?? throw new InvalidOperationException("Forward can only be used inside an actor");
        receiver.Tell(message, cell.Sender);
    }

    /// <summary>True when this ref is Nobody or null.</summary>
    public static bool IsNobody(this IActorRef? actorRef) => actorRef is null || actorRef is Nobody;
}

/// <summary>The sender used by <c>Tell(message)</c> outside any actor, per async flow (e.g. a test's TestActor).</summary>
public static class ImplicitSender
{
    private static readonly AsyncLocal<IActorRef?> Ambient = new();

    /// <summary>The implicit sender of the current async flow, if one was set.</summary>
    public static IActorRef? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }
}

namespace ActorTasks.Actor;

/// <summary>
/// An actor that declares its handlers in its constructor: <c>Receive&lt;T&gt;(handler)</c>, <c>ReceiveAsync&lt;T&gt;</c>,
/// <c>ReceiveAny</c>. Handlers are tried in declaration order; the first whose type (and predicate) matches handles
/// the message. <c>Become(() =&gt; { Receive... })</c> switches to another set of handlers.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private HandlerSet? _building = new();
    private readonly HandlerSet _initial;

    protected ReceiveActor()
    {
        _initial = _building!;
    }

    protected sealed override bool Receive(object message)
    {
        // Handlers registered by the constructor are sealed on the first message.
        _building = null;
        return _initial.Handle(message);
    }

    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new SyncHandler<T>(handler, shouldHandle));
    }

    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) => Receive(handler, shouldHandle);

    /// <summary>A handler that returns false to leave the message unhandled.</summary>
    protected void Receive<T>(Func<T, bool> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new FuncHandler<T>(handler));
    }

    /// <summary>An async handler: the actor handles no other message until the returned task completes.</summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new AsyncHandler<T>(this, handler, shouldHandle));
    }

    protected void ReceiveAny(Action<object> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new SyncHandler<object>(handler, null));
    }

    protected void ReceiveAnyAsync(Func<object, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new AsyncHandler<object>(this, handler, null));
    }

    /// <summary>Replaces the behavior with the handlers that <paramref name="configure"/> declares.</summary>
    protected void Become(Action configure) => Become(Build(configure).Handle);

    /// <summary>Pushes the handlers that <paramref name="configure"/> declares; <c>UnbecomeStacked</c> pops them.</summary>
    protected void BecomeStacked(Action configure) => BecomeStacked(Build(configure).Handle);

    private HandlerSet Build(Action configure)
    {
        var previous = _building;
        var set = new HandlerSet();
        _building = set;
        try { configure(); }
        finally { _building = previous; }
        return set;
    }

    private HandlerSet Building() => _building
        ?? throw new InvalidOperationException("Receive handlers can only be declared in the constructor or inside Become(() => ...)");

    private sealed class HandlerSet
    {
        private IHandler[] _handlers = [];

        public void Add(IHandler handler) => _handlers = [.. _handlers, handler];

        public bool Handle(object message)
        {
            foreach (var h in _handlers)
                if (h.TryHandle(message)) return true;
            return false;
        }
    }

    private interface IHandler
    {
        bool TryHandle(object message);
    }

    private sealed class SyncHandler<T>(Action<T> handler, Predicate<T>? predicate) : IHandler
    {
        public bool TryHandle(object message)
        {
            if (message is not T typed || (predicate is not null && !predicate(typed))) return false;
            handler(typed);
            return true;
        }
    }

    private sealed class FuncHandler<T>(Func<T, bool> handler) : IHandler
    {
        public bool TryHandle(object message) => message is T typed && handler(typed);
    }

    private sealed class AsyncHandler<T>(ReceiveActor actor, Func<T, Task> handler, Predicate<T>? predicate) : IHandler
    {
        public bool TryHandle(object message)
        {
            if (message is not T typed || (predicate is not null && !predicate(typed))) return false;
            actor.RunTask(() => handler(typed));
            return true;
        }
    }
}

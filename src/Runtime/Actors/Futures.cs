using System.Runtime.ExceptionServices;
using ActorTasks.Dispatch;

namespace ActorTasks.Actor;

/// <summary>Ask (request–reply as a task) and graceful stop.</summary>
public static class Futures
{
    private static readonly TimeSpan FallbackAskTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sends <paramref name="message"/> and returns a task of the reply. The task faults with
    /// <see cref="AskTimeoutException"/> after the timeout (default: <c>actortasks.actor.ask-timeout</c>), with
    /// <see cref="AskTerminatedException"/> at once when the receiver is dead, with the cause of a
    /// <see cref="Status.Failure"/> reply, and with <see cref="InvalidCastException"/> for a reply that is not a <typeparamref name="T"/>.
    /// </summary>
    public static Task<T> Ask<T>(this IActorRef receiver, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        var system = SystemOf(receiver);
        var t = timeout ?? system?.Settings.AskTimeout ?? FallbackAskTimeout;
        if (t <= TimeSpan.Zero && t != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), t, "an ask timeout must be positive");
        var future = new FutureActorRef(system);
        receiver.Tell(message, future);
        return AwaitReplyAsync<T>(future, receiver, message, t, cancellationToken);
    }

    /// <summary>Ask with an untyped reply.</summary>
    public static Task<object> Ask(this IActorRef receiver, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        receiver.Ask<object>(message, timeout, cancellationToken);

    private static async Task<T> AwaitReplyAsync<T>(FutureActorRef future, IActorRef receiver, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        object reply;
        try
        {
            reply = await future.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            future.Fail(new AskTimeoutException("timed out"));
            throw new AskTimeoutException(
                $"ask of {message.GetType().Name} to {receiver.Path} timed out after {timeout.TotalMilliseconds:0} ms");
        }
        if (reply is Status.Failure failure && typeof(T) != typeof(Status.Failure))
            ExceptionDispatchInfo.Capture(failure.Cause).Throw();
        if (reply is T typed) return typed;
        throw new InvalidCastException(
            $"ask of {message.GetType().Name} to {receiver.Path} expected a reply of type {typeof(T).FullName} but got {reply.GetType().FullName}");
    }

    /// <summary>
    /// Sends <paramref name="stopMessage"/> (default <see cref="PoisonPill"/>) and completes with true once the
    /// target has stopped, or false if it has not stopped within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<bool> GracefulStop(this IActorRef target, TimeSpan timeout, object? stopMessage = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "a stop timeout must be positive");
        if (target is not IInternalActorRef internalTarget)
            throw new ArgumentException($"{target} is not a runtime actor ref", nameof(target));
        var watcher = new FutureActorRef(SystemOf(target));
        internalTarget.SendSystemMessage(new Watch(target, watcher));
        target.Tell(stopMessage ?? PoisonPill.Instance, Nobody.Instance);
        try
        {
            await watcher.Task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            internalTarget.SendSystemMessage(new Unwatch(target, watcher));
            return false;
        }
    }

    internal static ActorSystem? SystemOf(IActorRef actorRef) => actorRef switch
    {
        LocalActorRef local => local.Cell.System,
        IHasSystem has => has.System,
        _ => null,
    };
}

/// <summary>Refs that know their system (so an Ask can use its default timeout).</summary>
internal interface IHasSystem
{
    ActorSystem System { get; }
}

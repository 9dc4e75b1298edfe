using ActorTasks.Actor;

namespace ActorTasks.Testing;

public abstract partial class TestKitBase
{
    /// <summary>Expects the next message to be a <typeparamref name="T"/> (satisfying <paramref name="predicate"/> when given) and returns it.</summary>
    /// <remarks>Without a timeout it waits the time left in <c>Within</c>, else <see cref="DefaultTimeout"/>; a given timeout is dilated too.</remarks>
    public T ExpectMsg<T>(Predicate<T>? predicate = null, TimeSpan? timeout = null) => Block(ExpectMsgAsync<T>(predicate, timeout));

    /// <summary>Async form of <see cref="ExpectMsg{T}(Predicate{T}, TimeSpan?)"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(Predicate<T>? predicate = null, TimeSpan? timeout = null)
    {
        var r = await ExpectOneAsync($"ExpectMsg<{Describe.Type<T>()}>", Wanted<T>(predicate), RemainingOrDilated(timeout),
            r => r.Message is T t && (predicate is null || predicate(t))).ConfigureAwait(false);
        return (T)r.Message;
    }

    /// <summary>Expects the next message to be a <typeparamref name="T"/> within <paramref name="timeout"/> (Akka's <c>ExpectMsg&lt;T&gt;(duration)</c>).</summary>
    public T ExpectMsg<T>(TimeSpan timeout) => Block(ExpectMsgAsync<T>(predicate: null, timeout));

    /// <summary>Async form of <see cref="ExpectMsg{T}(TimeSpan)"/>.</summary>
    public Task<T> ExpectMsgAsync<T>(TimeSpan timeout) => ExpectMsgAsync<T>(predicate: null, timeout);

    /// <summary>Expects the next message to equal <paramref name="expected"/> and returns it.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) => Block(ExpectMsgAsync<T>(expected, timeout));

    /// <summary>Async form of <see cref="ExpectMsg{T}(T, TimeSpan?)"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null)
    {
        var r = await ExpectOneAsync($"ExpectMsg<{Describe.Type<T>()}>", Describe.Value(expected), RemainingOrDilated(timeout),
            r => r.Message is T t && EqualityComparer<T>.Default.Equals(t, expected)).ConfigureAwait(false);
        return (T)r.Message;
    }

    /// <summary>Expects the next message to be a <typeparamref name="T"/>, runs <paramref name="assert"/> on it, and returns it.</summary>
    public T ExpectMsg<T>(Action<T> assert, TimeSpan? timeout = null) => Block(ExpectMsgAsync<T>(assert, timeout));

    /// <summary>Async form of <see cref="ExpectMsg{T}(Action{T}, TimeSpan?)"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(Action<T> assert, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(assert);
        var method = $"ExpectMsg<{Describe.Type<T>()}>";
        var start = Now;
        var r = await ExpectOneAsync(method, Wanted<T>(null), RemainingOrDilated(timeout), r => r.Message is T).ConfigureAwait(false);
        var elapsed = Now - start;
        try
        {
            assert((T)r.Message);
        }
        catch (Exception e)
        {
            throw Fail($"{method}: received {Describe.Received(r.Message, r.Sender)} after {Describe.Ms(elapsed)}, but the assertion failed: {e.Message}", e);
        }
        return (T)r.Message;
    }

    /// <summary>Expects the next message to be a <typeparamref name="T"/> sent by <paramref name="sender"/> (and satisfying <paramref name="predicate"/> when given).</summary>
    public T ExpectMsgFrom<T>(IActorRef sender, Predicate<T>? predicate = null, TimeSpan? timeout = null) =>
        Block(ExpectMsgFromAsync<T>(sender, predicate, timeout));

    /// <summary>Async form of <see cref="ExpectMsgFrom{T}(IActorRef, Predicate{T}, TimeSpan?)"/>.</summary>
    public async Task<T> ExpectMsgFromAsync<T>(IActorRef sender, Predicate<T>? predicate = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var r = await ExpectOneAsync($"ExpectMsgFrom<{Describe.Type<T>()}>", $"{Wanted<T>(predicate)} from {Describe.Sender(sender)}",
            RemainingOrDilated(timeout), r => r.Message is T t && sender.Equals(r.Sender) && (predicate is null || predicate(t))).ConfigureAwait(false);
        return (T)r.Message;
    }

    /// <summary>Expects the next message to equal <paramref name="expected"/> and come from <paramref name="sender"/>.</summary>
    public T ExpectMsgFrom<T>(IActorRef sender, T expected, TimeSpan? timeout = null) => Block(ExpectMsgFromAsync<T>(sender, expected, timeout));

    /// <summary>Async form of <see cref="ExpectMsgFrom{T}(IActorRef, T, TimeSpan?)"/>.</summary>
    public async Task<T> ExpectMsgFromAsync<T>(IActorRef sender, T expected, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var r = await ExpectOneAsync($"ExpectMsgFrom<{Describe.Type<T>()}>", $"{Describe.Value(expected)} from {Describe.Sender(sender)}",
            RemainingOrDilated(timeout), r => r.Message is T t && sender.Equals(r.Sender) && EqualityComparer<T>.Default.Equals(t, expected))
            .ConfigureAwait(false);
        return (T)r.Message;
    }

    /// <summary>Expects <see cref="Terminated"/> for <paramref name="target"/>, which the test actor must <see cref="Watch"/> first.</summary>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) => Block(ExpectTerminatedAsync(target, timeout));

    /// <summary>Async form of <see cref="ExpectTerminated(IActorRef, TimeSpan?)"/>.</summary>
    public async Task<Terminated> ExpectTerminatedAsync(IActorRef target, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var r = await ExpectOneAsync("ExpectTerminated", $"Terminated of {Describe.Sender(target)}", RemainingOrDilated(timeout),
            r => r.Message is Terminated t && t.ActorRef.Equals(target),
            timeoutHint: " (was it watched with Watch(actor) first?)").ConfigureAwait(false);
        return (Terminated)r.Message;
    }

    /// <summary>Takes the next message within <paramref name="max"/>; fails naming what was wanted, or what came instead and when.</summary>
    private async Task<Received> ExpectOneAsync(string method, string wanted, TimeSpan max, Func<Received, bool> matches, string? timeoutHint = null)
    {
        var start = Now;
        if (await TryReceiveAsync(max).ConfigureAwait(false) is not { } r)
            throw Fail($"{method}: timed out after {Describe.Ms(max)} waiting for {wanted}; nothing arrived{timeoutHint}");
        if (!matches(r))
            throw Fail($"{method}: expected {wanted} but received {Describe.Received(r.Message, r.Sender)} after {Describe.Ms(Now - start)}");
        return r;
    }

    private static string Wanted<T>(Delegate? predicate) =>
        predicate is null ? $"a {Describe.Type<T>()}" : $"a {Describe.Type<T>()} matching the predicate";
}

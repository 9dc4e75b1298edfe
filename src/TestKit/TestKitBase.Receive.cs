using ActorTasks.Actor;

namespace ActorTasks.Testing;

public abstract partial class TestKitBase
{
    // A message ReceiveWhile looked at and declined goes back to the front of the queue; the channel has no front
    // door, so it waits here. Only the test reads, one expectation at a time, so no lock is needed.
    private Received? _putBack;

    /// <summary>Takes the next message, waiting at most <paramref name="timeout"/>; null when none arrived in time.</summary>
    private async Task<Received?> TryReceiveAsync(TimeSpan timeout)
    {
        _lastWasNoMsg = false;
        if (_putBack is { } back)
        {
            _putBack = null;
            return Take(back);
        }
        if (_queue.Reader.TryRead(out var ready)) return Take(ready);
        if (timeout <= TimeSpan.Zero) return null;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            // A cancelled ReadAsync takes nothing from the channel, so a message racing the timeout is not lost.
            return Take(await _queue.Reader.ReadAsync(cts.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return null;
        }
    }

    private Received Take(Received received)
    {
        LastMessage = received.Message;
        LastSender = received.Sender;
        return received;
    }

    /// <summary>Receives exactly <paramref name="n"/> messages, of any type, within <paramref name="timeout"/> in total; fails with those that came if fewer arrive.</summary>
    public IReadOnlyList<object> ReceiveN(int n, TimeSpan? timeout = null) => Block(ReceiveNAsync(n, timeout));

    /// <summary>Receives exactly <paramref name="n"/> messages within <paramref name="timeout"/> in total.</summary>
    public async Task<IReadOnlyList<object>> ReceiveNAsync(int n, TimeSpan? timeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var max = RemainingOrDilated(timeout);
        var start = Now;
        var messages = new List<object>(n);
        while (messages.Count < n)
        {
            if (await TryReceiveAsync(max - (Now - start)).ConfigureAwait(false) is not { } r)
                throw Fail($"ReceiveN: timed out after {Describe.Ms(max)} having received {messages.Count} of {n} messages: {Describe.List(messages)}");
            messages.Add(r.Message);
        }
        return messages;
    }

    /// <summary>
    /// Receives messages while <paramref name="filter"/> maps them to non-null values, until <paramref name="max"/> has passed
    /// in total, <paramref name="idle"/> passed without a message, or <paramref name="msgs"/> were taken. The first message
    /// the filter declines stays in the queue. Never fails: returns what it collected.
    /// </summary>
    public IReadOnlyList<T> ReceiveWhile<T>(Func<object, T?> filter, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue)
        where T : class => Block(ReceiveWhileAsync(filter, max, idle, msgs));

    /// <summary>Async form of <see cref="ReceiveWhile{T}(Func{object, T}, TimeSpan?, TimeSpan?, int)"/>.</summary>
    public Task<IReadOnlyList<T>> ReceiveWhileAsync<T>(Func<object, T?> filter, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(filter);
        return ReceiveWhileCoreAsync(m => filter(m) is { } value ? (true, value) : (false, default!), max, idle, msgs);
    }

    /// <summary>Receives messages while they are <typeparamref name="T"/>s that satisfy <paramref name="shouldContinue"/>; otherwise as the filter form.</summary>
    public IReadOnlyList<T> ReceiveWhile<T>(Predicate<T> shouldContinue, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue) =>
        Block(ReceiveWhileAsync(shouldContinue, max, idle, msgs));

    /// <summary>Async form of <see cref="ReceiveWhile{T}(Predicate{T}, TimeSpan?, TimeSpan?, int)"/>.</summary>
    public Task<IReadOnlyList<T>> ReceiveWhileAsync<T>(Predicate<T> shouldContinue, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(shouldContinue);
        return ReceiveWhileCoreAsync(m => m is T t && shouldContinue(t) ? (true, t) : (false, default!), max, idle, msgs);
    }

    private async Task<IReadOnlyList<T>> ReceiveWhileCoreAsync<T>(Func<object, (bool Keep, T Value)> filter, TimeSpan? max, TimeSpan? idle, int msgs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(msgs);
        var total = RemainingOrDilated(max);
        var idleLimit = idle is { } i ? RemainingOrDilated(i) : total;
        var start = Now;
        var collected = new List<T>();
        while (collected.Count < msgs)
        {
            var wait = Min(total - (Now - start), idleLimit);
            var (lastMessage, lastSender) = (LastMessage, LastSender);
            if (await TryReceiveAsync(wait).ConfigureAwait(false) is not { } r) break;
            var (keep, value) = filter(r.Message);
            if (!keep)
            {
                _putBack = r;
                (LastMessage, LastSender) = (lastMessage, lastSender);
                break;
            }
            collected.Add(value);
        }
        return collected;
    }

    /// <summary>Skips messages until one satisfies <paramref name="isTheOne"/> and returns it; fails, listing what it skipped, if none does within <paramref name="max"/>.</summary>
    public object FishForMessage(Predicate<object> isTheOne, TimeSpan? max = null) => Block(FishForMessageAsync(isTheOne, max));

    /// <summary>Async form of <see cref="FishForMessage(Predicate{object}, TimeSpan?)"/>.</summary>
    public Task<object> FishForMessageAsync(Predicate<object> isTheOne, TimeSpan? max = null)
    {
        ArgumentNullException.ThrowIfNull(isTheOne);
        return FishCoreAsync<object>("FishForMessage", "a message matching the predicate", isTheOne, max);
    }

    /// <summary>Skips messages until a <typeparamref name="T"/> satisfying <paramref name="isTheOne"/> (any, when null) arrives, and returns it.</summary>
    public T FishForMessage<T>(Predicate<T>? isTheOne = null, TimeSpan? max = null) => Block(FishForMessageAsync(isTheOne, max));

    /// <summary>Async form of <see cref="FishForMessage{T}(Predicate{T}, TimeSpan?)"/>.</summary>
    public Task<T> FishForMessageAsync<T>(Predicate<T>? isTheOne = null, TimeSpan? max = null) =>
        FishCoreAsync<T>($"FishForMessage<{Describe.Type<T>()}>",
            isTheOne is null ? $"a {Describe.Type<T>()}" : $"a {Describe.Type<T>()} matching the predicate",
            m => m is T t && (isTheOne is null || isTheOne(t)), max);

    private async Task<T> FishCoreAsync<T>(string method, string wanted, Predicate<object> isTheOne, TimeSpan? max)
    {
        var limit = RemainingOrDilated(max);
        var start = Now;
        var skipped = new List<object>();
        while (true)
        {
            if (await TryReceiveAsync(limit - (Now - start)).ConfigureAwait(false) is not { } r)
            {
                var what = skipped.Count == 0 ? "nothing arrived" : $"skipped {skipped.Count} other messages: {Describe.List(skipped)}";
                throw Fail($"{method}: timed out after {Describe.Ms(limit)} waiting for {wanted}; {what}");
            }
            if (isTheOne(r.Message)) return (T)r.Message;
            skipped.Add(r.Message);
        }
    }
}

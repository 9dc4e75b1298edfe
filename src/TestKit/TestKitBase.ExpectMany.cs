namespace ActorTasks.Testing;

public abstract partial class TestKitBase
{
    /// <summary>Expects the next message to equal one of <paramref name="messages"/> and returns it.</summary>
    public T ExpectMsgAnyOf<T>(params T[] messages) => Block(ExpectMsgAnyOfAsync<T>(messages, null));

    /// <summary>Expects the next message, within <paramref name="timeout"/>, to equal one of <paramref name="messages"/>.</summary>
    public T ExpectMsgAnyOf<T>(IReadOnlyCollection<T> messages, TimeSpan? timeout = null) => Block(ExpectMsgAnyOfAsync<T>(messages, timeout));

    /// <summary>Async form of <see cref="ExpectMsgAnyOf{T}(T[])"/>.</summary>
    public Task<T> ExpectMsgAnyOfAsync<T>(params T[] messages) => ExpectMsgAnyOfAsync<T>(messages, null);

    /// <summary>Async form of <see cref="ExpectMsgAnyOf{T}(IReadOnlyCollection{T}, TimeSpan?)"/>.</summary>
    public async Task<T> ExpectMsgAnyOfAsync<T>(IReadOnlyCollection<T> messages, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var candidates = messages.ToList();
        if (candidates.Count == 0) throw new ArgumentException("ExpectMsgAnyOf needs at least one message", nameof(messages));
        var r = await ExpectOneAsync($"ExpectMsgAnyOf<{Describe.Type<T>()}>", $"one of {Describe.List(candidates.Cast<object?>())}",
            RemainingOrDilated(timeout), r => r.Message is T t && candidates.Contains(t)).ConfigureAwait(false);
        return (T)r.Message;
    }

    /// <summary>Expects the next messages to be exactly <paramref name="messages"/>, in any order; returns them in arrival order.</summary>
    public IReadOnlyList<T> ExpectMsgAllOf<T>(params T[] messages) => Block(ExpectMsgAllOfAsync<T>(messages, null));

    /// <summary>Expects the next messages to be exactly <paramref name="messages"/>, in any order, all within <paramref name="timeout"/>.</summary>
    public IReadOnlyList<T> ExpectMsgAllOf<T>(IReadOnlyCollection<T> messages, TimeSpan? timeout = null) => Block(ExpectMsgAllOfAsync<T>(messages, timeout));

    /// <summary>Async form of <see cref="ExpectMsgAllOf{T}(T[])"/>.</summary>
    public Task<IReadOnlyList<T>> ExpectMsgAllOfAsync<T>(params T[] messages) => ExpectMsgAllOfAsync<T>(messages, null);

    /// <summary>Async form of <see cref="ExpectMsgAllOf{T}(IReadOnlyCollection{T}, TimeSpan?)"/>.</summary>
    public async Task<IReadOnlyList<T>> ExpectMsgAllOfAsync<T>(IReadOnlyCollection<T> messages, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var method = $"ExpectMsgAllOf<{Describe.Type<T>()}>";
        var missing = messages.ToList();
        var max = RemainingOrDilated(timeout);
        var start = Now;
        var received = new List<T>(missing.Count);
        while (missing.Count > 0)
        {
            if (await TryReceiveAsync(max - (Now - start)).ConfigureAwait(false) is not { } r)
            {
                throw Fail($"{method}: timed out after {Describe.Ms(max)} with {Describe.List(missing.Cast<object?>())} still missing; " +
                           $"received {Describe.List(received.Cast<object?>())}");
            }
            // Remove one equal element, so that duplicates must arrive as often as they are expected.
            var index = r.Message is T t ? missing.FindIndex(m => EqualityComparer<T>.Default.Equals(m, t)) : -1;
            if (index < 0)
            {
                throw Fail($"{method}: expected one of the missing {Describe.List(missing.Cast<object?>())} but received " +
                           $"{Describe.Received(r.Message, r.Sender)} after {Describe.Ms(Now - start)}");
            }
            missing.RemoveAt(index);
            received.Add((T)r.Message);
        }
        return received;
    }

    /// <summary>Fails if any message arrives within <paramref name="duration"/> (dilated).</summary>
    public void ExpectNoMsg(TimeSpan duration) => Block(ExpectNoMsgAsync(duration));

    /// <summary>Fails if any message arrives in the time left in <c>Within</c>, or, outside one, within 100 ms × the time factor.</summary>
    public void ExpectNoMsg() => Block(ExpectNoMsgAsync());

    /// <summary>Async form of <see cref="ExpectNoMsg(TimeSpan)"/>.</summary>
    public Task ExpectNoMsgAsync(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), duration, "ExpectNoMsg: the duration must not be negative");
        return ExpectNoMsgCoreAsync(Dilated(duration));
    }

    /// <summary>Async form of <see cref="ExpectNoMsg()"/>.</summary>
    public Task ExpectNoMsgAsync() =>
        ExpectNoMsgCoreAsync(_end is not null ? Remaining : Dilated(_testKitSettings.DefaultNoMessageDuration));

    private async Task ExpectNoMsgCoreAsync(TimeSpan duration)
    {
        var start = Now;
        if (await TryReceiveAsync(duration).ConfigureAwait(false) is { } r)
        {
            throw Fail($"ExpectNoMsg: expected no message for {Describe.Ms(duration)} but received {Describe.Received(r.Message, r.Sender)} " +
                       $"after {Describe.Ms(Now - start)}");
        }
        _lastWasNoMsg = true;
    }
}

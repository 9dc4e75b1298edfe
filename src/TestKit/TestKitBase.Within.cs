namespace ActorTasks.Testing;

public abstract partial class TestKitBase
{
    // The deadline of the innermost Within (null outside any), and whether the last step was ExpectNoMsg, which
    // listens until that deadline and so always overruns it by a hair.
    private TimeSpan? _end;
    private bool _lastWasNoMsg;

    /// <summary>Time left in the innermost <c>Within</c>; throws outside one.</summary>
    public TimeSpan Remaining => _end is { } end
        ? Max(end - Now, TimeSpan.Zero)
        : throw new InvalidOperationException("Remaining is only defined inside Within(...); use RemainingOrDefault");

    /// <summary>Time left in the innermost <c>Within</c>, or <see cref="DefaultTimeout"/> outside one: the timeout of an expectation that names none.</summary>
    public TimeSpan RemainingOrDefault => _end is { } end ? Max(end - Now, TimeSpan.Zero) : DefaultTimeout;

    /// <summary>Runs <paramref name="body"/> and fails unless it finishes within <paramref name="max"/> (dilated); expectations inside default to the time left.</summary>
    public void Within(TimeSpan max, Action body) => Within(TimeSpan.Zero, max, body);

    /// <summary>Runs <paramref name="body"/> and fails unless it takes at least <paramref name="min"/> and at most <paramref name="max"/> (dilated).</summary>
    public void Within(TimeSpan min, TimeSpan max, Action body)
    {
        ArgumentNullException.ThrowIfNull(body);
        Within(min, max, () =>
        {
            body();
            return true;
        });
    }

    /// <summary>Like <see cref="Within(TimeSpan, Action)"/>, returning what <paramref name="body"/> returns.</summary>
    public T Within<T>(TimeSpan max, Func<T> body) => Within(TimeSpan.Zero, max, body);

    /// <summary>Like <see cref="Within(TimeSpan, TimeSpan, Action)"/>, returning what <paramref name="body"/> returns.</summary>
    public T Within<T>(TimeSpan min, TimeSpan max, Func<T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var scope = EnterWithin(min, max);
        T result;
        try
        {
            result = body();
        }
        finally
        {
            _end = scope.PreviousEnd;
        }
        if (result is Task)
            throw new InvalidOperationException("Within was given an async body, whose time it cannot measure; use WithinAsync");
        CheckWithin(scope);
        return result;
    }

    /// <summary>Awaits <paramref name="body"/> and fails unless it finishes within <paramref name="max"/> (dilated).</summary>
    public Task WithinAsync(TimeSpan max, Func<Task> body) => WithinAsync(TimeSpan.Zero, max, body);

    /// <summary>Awaits <paramref name="body"/> and fails unless it takes at least <paramref name="min"/> and at most <paramref name="max"/> (dilated).</summary>
    public Task WithinAsync(TimeSpan min, TimeSpan max, Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return WithinAsync(min, max, async () =>
        {
            await body().ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>Like <see cref="WithinAsync(TimeSpan, Func{Task})"/>, returning the body's result.</summary>
    public Task<T> WithinAsync<T>(TimeSpan max, Func<Task<T>> body) => WithinAsync(TimeSpan.Zero, max, body);

    /// <summary>Like <see cref="WithinAsync(TimeSpan, TimeSpan, Func{Task})"/>, returning the body's result.</summary>
    public async Task<T> WithinAsync<T>(TimeSpan min, TimeSpan max, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var scope = EnterWithin(min, max);
        T result;
        try
        {
            result = await body().ConfigureAwait(false);
        }
        finally
        {
            _end = scope.PreviousEnd;
        }
        CheckWithin(scope);
        return result;
    }

    private readonly record struct WithinScope(TimeSpan Start, TimeSpan Min, TimeSpan Limit, TimeSpan? PreviousEnd);

    private WithinScope EnterWithin(TimeSpan min, TimeSpan max)
    {
        if (min < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(min), min, "Within: min must not be negative");
        if (max < min) throw new ArgumentOutOfRangeException(nameof(max), max, $"Within: max must be at least min ({Describe.Ms(min)})");
        var start = Now;
        var limit = Dilated(max);
        if (_end is { } outer)
        {
            var left = outer - start;
            if (left < min)
                throw Fail($"Within: a block of at least {Describe.Ms(min)} cannot fit, only {Describe.Ms(Max(left, TimeSpan.Zero))} are left in the enclosing Within");
            limit = Min(limit, left);
        }
        var scope = new WithinScope(start, min, limit, _end);
        _end = start + limit;
        _lastWasNoMsg = false;
        return scope;
    }

    private void CheckWithin(WithinScope scope)
    {
        var elapsed = Now - scope.Start;
        if (elapsed < scope.Min)
            throw Fail($"Within: the block took {Describe.Ms(elapsed)}, less than the minimum of {Describe.Ms(scope.Min)}");
        if (!_lastWasNoMsg && elapsed > scope.Limit)
            throw Fail($"Within: the block took {Describe.Ms(elapsed)}, more than the maximum of {Describe.Ms(scope.Limit)}");
    }

    /// <summary>The timeout an expectation uses: the one given (dilated), else the time left in Within, else the default.</summary>
    internal TimeSpan RemainingOrDilated(TimeSpan? timeout)
    {
        if (timeout is not { } t) return RemainingOrDefault;
        if (t < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), t, "a timeout must be zero or positive (infinite waits are not allowed in tests)");
        return Dilated(t);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a <= b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a >= b ? a : b;
}

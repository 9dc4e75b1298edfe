namespace ActorTasks.Testing;

public abstract partial class TestKitBase
{
    /// <summary>
    /// Runs <paramref name="assertion"/> until it stops throwing, every <paramref name="interval"/> (default 50 ms), for at
    /// most <paramref name="duration"/>; then fails with the last error. For state that changes outside the test actor.
    /// </summary>
    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null) =>
        Block(AwaitAssertAsync(assertion, duration, interval));

    /// <summary>Async form of <see cref="AwaitAssert(Action, TimeSpan?, TimeSpan?)"/>.</summary>
    public Task AwaitAssertAsync(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        return AwaitAssertAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, duration, interval);
    }

    /// <summary>Awaits <paramref name="assertion"/> until it stops throwing, for at most <paramref name="duration"/>.</summary>
    public async Task AwaitAssertAsync(Func<Task> assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var max = RemainingOrDilated(duration);
        var pause = PollInterval(interval);
        var start = Now;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await assertion().ConfigureAwait(false);
                return;
            }
            catch (Exception e)
            {
                var elapsed = Now - start;
                if (elapsed >= max)
                {
                    throw Fail($"AwaitAssert: the assertion still failed after {Describe.Ms(elapsed)} ({attempt} attempts, limit {Describe.Ms(max)}): " +
                               e.Message, e);
                }
                await Task.Delay(Min(pause, max - elapsed)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Checks <paramref name="condition"/> every <paramref name="interval"/> (default 50 ms) until it is true; fails, quoting
    /// <paramref name="message"/>, if it is still false after <paramref name="max"/>.
    /// </summary>
    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, string? message = null, TimeSpan? interval = null) =>
        Block(AwaitConditionAsync(condition, max, message, interval));

    /// <summary>Async form of <see cref="AwaitCondition(Func{bool}, TimeSpan?, string, TimeSpan?)"/>.</summary>
    public Task AwaitConditionAsync(Func<bool> condition, TimeSpan? max = null, string? message = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return AwaitConditionAsync(() => Task.FromResult(condition()), max, message, interval);
    }

    /// <summary>Awaits <paramref name="condition"/> repeatedly until it is true, for at most <paramref name="max"/>.</summary>
    public async Task AwaitConditionAsync(Func<Task<bool>> condition, TimeSpan? max = null, string? message = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = RemainingOrDilated(max);
        var pause = PollInterval(interval);
        var start = Now;
        for (var attempt = 1; ; attempt++)
        {
            if (await condition().ConfigureAwait(false)) return;
            var elapsed = Now - start;
            if (elapsed >= limit)
            {
                throw Fail($"AwaitCondition: {(message is null ? "the condition" : $"\"{message}\"")} was still false after " +
                           $"{Describe.Ms(elapsed)} ({attempt} checks, limit {Describe.Ms(limit)})");
            }
            await Task.Delay(Min(pause, limit - elapsed)).ConfigureAwait(false);
        }
    }

    private TimeSpan PollInterval(TimeSpan? interval)
    {
        var pause = interval ?? _testKitSettings.DefaultPollInterval;
        if (pause <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), pause, "a poll interval must be positive");
        return pause;
    }
}

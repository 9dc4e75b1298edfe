namespace ActorTasks.Remote.Tests.Transport.Support;

/// <summary>A thread-safe list of things that happened, which a test can await by predicate (past or future), with a timeout.</summary>
public sealed class AwaitableLog<T>
{
    private readonly object _lock = new();
    private readonly List<T> _items = [];
    private readonly List<(Func<T, bool> Predicate, TaskCompletionSource<T> Done)> _waiters = [];

    public void Add(T item)
    {
        lock (_lock)
        {
            _items.Add(item);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Predicate(item)) continue;
                _waiters[i].Done.TrySetResult(item);
                _waiters.RemoveAt(i);
            }
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_lock) return [.. _items];
    }

    /// <summary>The first item matching <paramref name="predicate"/>, already there or yet to come; fails after <paramref name="timeout"/>.</summary>
    public async Task<T> WaitForAsync(Func<T, bool> predicate, TimeSpan timeout, string what)
    {
        TaskCompletionSource<T> done;
        lock (_lock)
        {
            foreach (var item in _items)
            {
                if (predicate(item)) return item;
            }
            done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((predicate, done));
        }
        try
        {
            return await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting for {what}; seen: {string.Join(" | ", Snapshot())}");
        }
    }
}

namespace ActorTasks.Remote.Transport;

/// <summary>The background tasks a component started and must see finish before it is disposed.</summary>
internal sealed class TaskTracker
{
    // Settles: a task finishing (and removing itself) while Track adds another or WhenAllAsync takes a snapshot.
    private readonly object _lock = new();
    private readonly HashSet<Task> _running = [];

    public void Track(Task task)
    {
        lock (_lock) _running.Add(task);
        task.ContinueWith(static (t, state) =>
        {
            var tracker = (TaskTracker)state!;
            lock (tracker._lock) tracker._running.Remove(t);
        }, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>True when no tracked task is running.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_lock) return _running.All(t => t.IsCompleted);
        }
    }

    /// <summary>Waits until every tracked task, including any started meanwhile, has finished.</summary>
    public async Task WhenAllAsync()
    {
        while (true)
        {
            Task[] snapshot;
            lock (_lock) snapshot = [.. _running.Where(t => !t.IsCompleted)];
            if (snapshot.Length == 0) return;
            await Task.WhenAll(snapshot).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

using ActorTasks.Dispatch;

namespace ActorTasks.Actor;

/// <summary>
/// The outcome of one ask. The first reply or failure settles it at once (later ones are ignored); its task completes
/// in a turn of its own, and the awaiting code's continuation runs in that turn. When an actor's turn (or a remote
/// read) gives the reply, that turn takes the thread's next slot: the code awaiting the ask goes on on the same thread
/// as soon as the replying turn ends, instead of waiting for a pool thread to wake. Otherwise the turn is queued to the
/// pool. Either way the continuation never runs inside the turn that replied, nor on the replier's own thread outside
/// a run.
/// </summary>
internal sealed class AskReply : DispatcherWork
{
    // Continuations run synchronously, but only ever from Turn (a pool thread, outside any actor's turn): the hop that
    // RunContinuationsAsynchronously would add is the one this class saves.
    private readonly TaskCompletionSource<object> _task = new(TaskCreationOptions.None);
    private object? _result;
    private Exception? _failure;
    private int _settled;

    public Task<object> Task => _task.Task;

    /// <summary>True once a reply or failure was accepted, even if the task has not completed yet.</summary>
    public bool IsSettled => Volatile.Read(ref _settled) != 0;

    /// <summary>Accepts the first <paramref name="result"/> or <paramref name="failure"/> and schedules the task's completion.</summary>
    public void TrySettle(object? result, Exception? failure)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0) return;
        _result = result;
        _failure = failure;
        // Filling the slot and queueing to the pool both publish the fields above to the thread that runs Turn.
        if (DispatcherThread.CurrentOrNull is not { InRun: true } thread || !thread.TryFill(this))
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    internal override void Turn()
    {
        if (_failure is { } failure) _task.TrySetException(failure);
        else _task.TrySetResult(_result!);
    }
}

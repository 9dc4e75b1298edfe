using System.Runtime.ExceptionServices;
using ActorTasks.Dispatch;

namespace ActorTasks.Actor;

public sealed partial class ActorCell
{
    private bool _awaitingAsync;
    private int _asyncGeneration;
    private Envelope _asyncEnvelope;
    private ActorSynchronizationContext? _syncContext;

    /// <summary>
    /// Runs an async step so that its continuations run inside this actor, one at a time with its other
    /// work: until the task completes no user message is handled (system messages still are).
    /// </summary>
    internal void RunAsync(Func<Task> step)
    {
        var context = _syncContext ??= new ActorSynchronizationContext(this, _asyncGeneration);
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        Task task;
        try
        {
            task = step();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        if (task.IsCompleted)
        {
            ThrowIfFailed(task);
            return;
        }
        _awaitingAsync = true;
        _asyncEnvelope = _current;
        task.ContinueWith(
            static (t, state) =>
            {
                var done = (AsyncHandlerCompleted)state!;
                done.Cell.SendSystemMessage(done);
            },
            new AsyncHandlerCompleted(this, task, _asyncGeneration),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static void ThrowIfFailed(Task task)
    {
        if (task.IsFaulted) ExceptionDispatchInfo.Capture(task.Exception!.InnerException ?? task.Exception).Throw();
        if (task.IsCanceled) throw new TaskCanceledException(task);
    }

    private void RunContinuation(AsyncContinuation continuation)
    {
        if (continuation.Generation != _asyncGeneration) return; // belongs to a stopped or restarted incarnation
        _current = _asyncEnvelope;
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_syncContext);
        try
        {
            continuation.Callback(continuation.State);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private void HandleAsyncCompleted(AsyncHandlerCompleted completed)
    {
        if (completed.Generation != _asyncGeneration || !_awaitingAsync) return;
        _awaitingAsync = false;
        _current = _asyncEnvelope;
        _asyncEnvelope = default;
        ThrowIfFailed(completed.Task);
    }

    /// <summary>Abandons a pending async handler: its later continuations are ignored.</summary>
    private void CancelAsyncWait()
    {
        if (!_awaitingAsync && _syncContext is null) return;
        _awaitingAsync = false;
        _asyncEnvelope = default;
        _asyncGeneration++;
        _syncContext = null;
    }

    /// <summary>Posts await continuations back into the actor's mailbox as system messages.</summary>
    private sealed class ActorSynchronizationContext(ActorCell cell, int generation) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) =>
            cell.SendSystemMessage(new AsyncContinuation(d, state, generation));

        public override void Send(SendOrPostCallback d, object? state) =>
            throw new NotSupportedException("synchronous Send would block the actor's thread; use Post");

        public override SynchronizationContext CreateCopy() => this;
    }
}

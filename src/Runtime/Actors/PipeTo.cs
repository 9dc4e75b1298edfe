namespace ActorTasks.Actor;

/// <summary>Sends a task's outcome to an actor as a message, as Akka.NET's <c>PipeTo</c>.</summary>
public static class PipeToExtensions
{
    /// <summary>
    /// When <paramref name="task"/> completes, tells <paramref name="recipient"/> its result (or
    /// <paramref name="success"/> of it), or a <see cref="Status.Failure"/> with the exception (or
    /// <paramref name="failure"/> of it). The way to bring a task's result back into an actor without awaiting.
    /// </summary>
    public static Task PipeTo<T>(this Task<T> task, IActorRef recipient, IActorRef? sender = null,
        Func<T, object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        sender ??= ActorCell.Current?.Self ?? Nobody.Instance;
        return task.ContinueWith(t =>
        {
            // A continuation: t has completed, so reading Result never blocks.
            object message = t.IsCompletedSuccessfully
                ? success is null ? t.Result! : success(t.Result)
                : failure is null ? new Status.Failure(Unwrap(t)) : failure(Unwrap(t));
            recipient.Tell(message, sender);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>When <paramref name="task"/> completes, tells <paramref name="recipient"/> <see cref="Status.Success"/> or a <see cref="Status.Failure"/>.</summary>
    public static Task PipeTo(this Task task, IActorRef recipient, IActorRef? sender = null,
        Func<object>? success = null, Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        sender ??= ActorCell.Current?.Self ?? Nobody.Instance;
        return task.ContinueWith(t =>
        {
            object message = t.IsCompletedSuccessfully
                ? success?.Invoke() ?? new Status.Success(null)
                : failure is null ? new Status.Failure(Unwrap(t)) : failure(Unwrap(t));
            recipient.Tell(message, sender);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static Exception Unwrap(Task task) =>
        task.IsCanceled ? new TaskCanceledException(task) : task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
}

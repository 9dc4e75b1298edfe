namespace ActorTasks.Remote.Transport;

internal sealed partial class Association
{
    // The serial chain of handler calls (and connection starts) for this peer: appended under _lock, so it runs in the
    // order the state changed; each link runs on the thread pool after the previous one, never under the lock.
    private Task _events = Task.CompletedTask;

    private void EnqueueEventLocked(Action work) => EnqueueEventLocked(() =>
    {
        work();
        return Task.CompletedTask;
    });

    private void EnqueueEventLocked(Func<Task> work) =>
        _events = _events.ContinueWith(_ => RunEventAsync(work), CancellationToken.None, TaskContinuationOptions.DenyChildAttach, TaskScheduler.Default).Unwrap();

    private async Task RunEventAsync(Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _transport.Log.Error(e, "The frame handler failed on an association event for {Address:l}", Address);
        }
    }

    /// <summary>Calls the handler; an exception from it is logged, and the transport carries on.</summary>
    private void Raise(Action<IFrameHandler> call)
    {
        try
        {
            call(_transport.Handler);
        }
        catch (Exception e)
        {
            _transport.Log.Error(e, "The frame handler threw on an association event for {Address:l}", Address);
        }
    }
}

using System.Diagnostics;

namespace ActorTasks.Dispatch;

/// <summary>
/// Something a dispatcher thread runs a turn of: an actor's mailbox, or the completion of an ask's reply. Each is its
/// own thread-pool work item, and one scheduled during a run may instead take the thread's next slot
/// (<see cref="DispatcherThread.TryFill"/>) and run as soon as the current turn ends.
/// </summary>
internal abstract class DispatcherWork : IThreadPoolWorkItem
{
    // A run follows the next slot for up to a time slice; then it gives the thread back to the pool if anything is
    // waiting there, so chains of slot runs cannot starve the pool.
    private static readonly long SliceTicks = Stopwatch.Frequency / 1000;

    /// <summary>One turn, on a thread in a run (<see cref="DispatcherThread.InRun"/>); must not throw.</summary>
    internal abstract void Turn();

    /// <summary>
    /// Runs this turn, then whatever each turn put in the thread's next slot, until the slot stays empty or the slice
    /// is spent; then what the run deferred (its coalesced writes).
    /// </summary>
    public void Execute()
    {
        var thread = DispatcherThread.Current;
        thread.InRun = true;
        try
        {
            var work = this;
            var sliceStart = Stopwatch.GetTimestamp();
            for (var chained = 1; ; chained++)
            {
                work.Turn();
                var next = thread.TakeNext();
                if (next is null) break;
                // The clock is read every few turns only: a turn of one message costs less than reading it.
                if ((chained & 15) == 0)
                {
                    // Deferred writes wait at most 16 turns, however long the chain.
                    thread.RunDeferred();
                    if (Stopwatch.GetTimestamp() - sliceStart > SliceTicks)
                    {
                        if (ThreadPool.PendingWorkItemCount > 0)
                        {
                            ThreadPool.UnsafeQueueUserWorkItem(next, preferLocal: false);
                            break;
                        }
                        sliceStart = Stopwatch.GetTimestamp();
                    }
                }
                work = next;
            }
        }
        finally
        {
            thread.InRun = false;
            // Never strand scheduled work, even if a turn threw.
            if (thread.TakeNext() is { } pending) ThreadPool.UnsafeQueueUserWorkItem(pending, preferLocal: false);
            thread.RunDeferred();
        }
    }
}

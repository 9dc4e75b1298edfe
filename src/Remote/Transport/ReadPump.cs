using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using ActorTasks.Dispatch;

namespace ActorTasks.Remote.Transport;

/// <summary>
/// A connection's reading: reads its input and hands each read's frames to the handler, one read at a time, in order,
/// until the connection ends. It also saves thread hops. The frames of a read are delivered as a run of the reading
/// thread (<see cref="DispatcherThread.InRun"/>), so the first mailbox they wake (or the ask they answer) goes into that
/// thread's next slot rather than to the pool, and the thread runs it at once, before it starts the next read: a
/// message that arrives and its reply cost one wake-up instead of two, and the reply is written without waiting for
/// the next read to be set up.
/// </summary>
/// <remarks>
/// <para>
/// A turn run here may take as long as its handler likes without holding up the connection for long. Starting the next
/// read is deferred to the end of the run (<see cref="DispatcherThread.Defer"/>), so a run that goes on for a few
/// milliseconds has the slot watch start it on another pool thread, as it does for a long run's writes; a run that
/// chains on through many turns starts it from its first mid-chain check. Whichever comes first claims the read, for
/// the cycle it belongs to, with one compare-and-swap; the others find it claimed.
/// </para>
/// <para>
/// Only one read is ever outstanding, and a read's frames are delivered before the next read starts: frames keep their
/// order. The state below is written by the claiming thread of one cycle at a time. The registration of the read's
/// continuation publishes <see cref="_awaiter"/> to the thread that completes it.
/// </para>
/// </remarks>
internal sealed class ReadPump : IRunEndAction
{
    private readonly Connection _connection;
    private readonly IFrameHandler _handler;
    private readonly int _maximumFrameSize;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action _onReadCompleted;
    private ValueTaskAwaiter<ReadResult> _awaiter;
    // Cycles of "run the woken turn, then read": the current one, and the last one whose next read has been claimed.
    private long _cycle;
    private long _claimed;

    public ReadPump(Connection connection, IFrameHandler handler, int maximumFrameSize)
    {
        _connection = connection;
        _handler = handler;
        _maximumFrameSize = maximumFrameSize;
        _onReadCompleted = OnReadCompleted; // one delegate, not one per read
    }

    /// <summary>Starts reading on a pool thread; the task completes when the reading has ended (the reason is recorded on the connection).</summary>
    public Task Start()
    {
        StartElsewhere();
        return _done.Task;
    }

    private void StartElsewhere() => ThreadPool.UnsafeQueueUserWorkItem(static pump => pump.Pump(first: null), this, preferLocal: false);

    private void OnReadCompleted()
    {
        ReadResult result;
        try
        {
            result = _awaiter.GetResult();
        }
        catch (Exception e)
        {
            End(e);
            return;
        }
        Pump(result);
    }

    // Delivers the read it is given, runs the turn it woke, and goes on with the next read while reads complete at
    // once; registers for the first that does not. Returns early when another thread has claimed the next read.
    private void Pump(ReadResult? first)
    {
        var thread = DispatcherThread.Current;
        DispatcherWork? woken = null;
        try
        {
            var result = first;
            while (true)
            {
                if (result is { } read)
                {
                    if (!Deliver(thread, read, out woken))
                    {
                        Hand(woken);
                        End(null);
                        return;
                    }
                    if (woken is not null)
                    {
                        var turn = woken;
                        woken = null;
                        if (!RunBeforeNextRead(thread, turn)) return;
                    }
                }
                var next = _connection.ReadAsync();
                if (!next.IsCompleted)
                {
                    _awaiter = next.GetAwaiter();
                    _awaiter.UnsafeOnCompleted(_onReadCompleted);
                    return;
                }
                result = next.GetAwaiter().GetResult(); // completed: does not block
            }
        }
        catch (Exception e)
        {
            Hand(woken);
            End(e);
        }
    }

    // Runs the woken turn (and what it chains to) on this thread; true when this thread still owns the next read.
    private bool RunBeforeNextRead(DispatcherThread thread, DispatcherWork woken)
    {
        // Only a pool thread runs it: with inline socket completions (a process-wide setting) this could be the
        // socket engine's own thread, which a long handler must not hold.
        if (!Thread.CurrentThread.IsThreadPoolThread)
        {
            Hand(woken);
            return true;
        }
        var cycle = _cycle + 1;
        Volatile.Write(ref _cycle, cycle);
        thread.Defer(this);
        woken.Execute();
        return Interlocked.CompareExchange(ref _claimed, cycle, cycle - 1) == cycle - 1;
    }

    // Claims the current cycle's next read for a pool thread. A stale call (the watch read an old list) may claim a
    // later cycle early, which only moves that read to the pool; it can never claim one twice.
    private void ClaimElsewhere()
    {
        var cycle = Volatile.Read(ref _cycle);
        if (Interlocked.CompareExchange(ref _claimed, cycle, cycle - 1) == cycle - 1) StartElsewhere();
    }

    // At the end of the run the pump itself goes on reading; at a mid-chain check the chain is long, and the read
    // starts elsewhere.
    void IRunEndAction.RunAtRunEnd()
    {
        if (DispatcherThread.CurrentOrNull is { InRun: true }) ClaimElsewhere();
    }

    void IRunEndAction.RunElsewhere() => ClaimElsewhere();

    private bool Deliver(DispatcherThread thread, ReadResult read, out DispatcherWork? woken)
    {
        thread.InRun = true;
        try
        {
            return _connection.OnRead(read, _handler, _maximumFrameSize);
        }
        finally
        {
            thread.InRun = false;
            woken = thread.TakeNext();
            // Sends made while delivering (answers the handler gives at once) are written now, in one flush.
            thread.RunDeferred();
        }
    }

    private static void Hand(DispatcherWork? work)
    {
        if (work is not null) ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);
    }

    private void End(Exception? failure)
    {
        if (failure is not null) _connection.OnReadFailed(failure);
        _done.TrySetResult();
    }
}

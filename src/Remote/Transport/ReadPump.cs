using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using ActorTasks.Dispatch;

namespace ActorTasks.Remote.Transport;

/// <summary>
/// A connection's reading: reads its input and hands each read's frames to the handler, one read at a time, in order,
/// until the connection ends. It also saves a thread hop per read. The frames of a read are delivered as a run of the
/// reading thread (<see cref="DispatcherThread.InRun"/>), so the first mailbox they wake goes into that thread's next
/// slot rather than to the pool. Once the next read is pending, the thread runs that mailbox itself: a message that
/// arrives and its reply cost one wake-up instead of two.
/// </summary>
/// <remarks>
/// A mailbox run here may take as long as its handler likes without holding up the connection. The next read's
/// continuation is registered before the mailbox runs, so the next bytes are read and delivered on another pool thread
/// meanwhile (heartbeats included). Only one read is ever outstanding, and a read's frames are delivered before the
/// next read starts: frames keep their order. The state below is written by one read's thread at a time. The
/// registration of the continuation publishes <see cref="_awaiter"/> to the thread that completes it.
/// </remarks>
internal sealed class ReadPump
{
    private readonly Connection _connection;
    private readonly IFrameHandler _handler;
    private readonly int _maximumFrameSize;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action _onReadCompleted;
    private ValueTaskAwaiter<ReadResult> _awaiter;

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
        ThreadPool.UnsafeQueueUserWorkItem(static pump => pump.Pump(first: null), this, preferLocal: false);
        return _done.Task;
    }

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

    // Delivers the read it is given and any that complete at once; registers for the first that does not, and then
    // runs the mailbox the last delivery woke on this thread.
    private void Pump(ReadResult? first)
    {
        var thread = DispatcherThread.Current;
        Mailbox? woken = null;
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
                }
                var next = _connection.ReadAsync();
                if (!next.IsCompleted)
                {
                    _awaiter = next.GetAwaiter();
                    _awaiter.UnsafeOnCompleted(_onReadCompleted);
                    break;
                }
                // More bytes are here already: the woken mailbox goes to the pool rather than wait for them.
                Hand(woken);
                woken = null;
                result = next.GetAwaiter().GetResult(); // completed: does not block
            }
        }
        catch (Exception e)
        {
            Hand(woken);
            End(e);
            return;
        }
        // Only a pool thread runs it: with inline socket completions (a process-wide setting) this could be the
        // socket engine's own thread, which a long handler must not hold.
        if (woken is null) return;
        if (Thread.CurrentThread.IsThreadPoolThread) woken.Execute();
        else Hand(woken);
    }

    private bool Deliver(DispatcherThread thread, ReadResult read, out Mailbox? woken)
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

    private static void Hand(Mailbox? mailbox)
    {
        if (mailbox is not null) ThreadPool.UnsafeQueueUserWorkItem(mailbox, preferLocal: false);
    }

    private void End(Exception? failure)
    {
        if (failure is not null) _connection.OnReadFailed(failure);
        _done.TrySetResult();
    }
}

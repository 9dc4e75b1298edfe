using ActorTasks.Actor;

namespace ActorTasks.Dispatch;

/// <summary>
/// An actor's mailbox: a lock-free user queue, an intrusive lock-free stack of system messages, and one
/// status word changed by CAS. The mailbox is itself the thread-pool work item: the first enqueue into an
/// idle mailbox schedules it; a run handles system messages first, then up to <c>throughput</c> user
/// messages, and re-checks both queues after going idle so that no enqueue is ever stranded.
/// </summary>
internal sealed class Mailbox : DispatcherWork
{
    private const int Idle = 0;
    private const int Scheduled = 1;
    private const int Closed = 2;

    private readonly IMessageQueue _queue;
    private readonly int _throughput;
    private ActorCell _cell = null!;
    private SystemMessage? _systemHead;
    private int _status;

    public Mailbox(IMessageQueue queue, int throughput)
    {
        _queue = queue;
        _throughput = Math.Max(1, throughput);
    }

    public IMessageQueue Queue => _queue;

    public bool IsClosed => (Volatile.Read(ref _status) & Closed) != 0;

    public int NumberOfMessages => _queue.Count;

    public bool HasSystemMessages => Volatile.Read(ref _systemHead) is not null;

    internal void SetCell(ActorCell cell) => _cell = cell;

    /// <summary>Enqueues a user message; false when closed or full, and the caller dead-letters it.</summary>
    public bool Post(in Envelope envelope)
    {
        if (IsClosed || !_queue.TryEnqueue(envelope)) return false;
        // Close may have drained the queue between our check and our enqueue: drain again so the
        // message reaches dead letters rather than sitting in a queue nobody reads.
        if (IsClosed)
        {
            _cell.DrainToDeadLetters();
            return true;
        }
        TrySchedule();
        return true;
    }

    /// <summary>Pushes a system message (Treiber stack: CAS on the head; order is restored when taken).</summary>
    public void PostSystem(SystemMessage message)
    {
        while (true)
        {
            var head = Volatile.Read(ref _systemHead);
            message.Next = head;
            if (Interlocked.CompareExchange(ref _systemHead, message, head) == head) break;
        }
        if (IsClosed)
        {
            // The cell is gone: answer what needs an answer (a Watch gets Terminated at once).
            HandleAfterDeath(TakeSystemMessagesList());
            return;
        }
        TrySchedule();
    }

    /// <summary>Takes all pending system messages in the order they were sent.</summary>
    public SystemMessage? TakeSystemMessagesList()
    {
        // Plain read first: almost every run finds no system message, and the exchange is a full fence.
        if (Volatile.Read(ref _systemHead) is null) return null;
        var head = Interlocked.Exchange(ref _systemHead, null);
        SystemMessage? reversed = null;
        while (head is not null)
        {
            var next = head.Next;
            head.Next = reversed;
            reversed = head;
            head = next;
        }
        return reversed;
    }

    private void HandleAfterDeath(SystemMessage? list)
    {
        for (var m = list; m is not null;)
        {
            var next = m.Next;
            m.Next = null;
            _cell.HandleSystemMessageAfterDeath(m);
            m = next;
        }
    }

    public bool TryDequeue(out Envelope envelope) => _queue.TryDequeue(out envelope);

    /// <summary>Marks the mailbox closed; later posts fail and pending system messages get death answers.</summary>
    public void Close()
    {
        Interlocked.Or(ref _status, Closed);
        HandleAfterDeath(TakeSystemMessagesList());
    }

    public void TrySchedule() => TrySchedule(useSlot: true);

    private void TrySchedule(bool useSlot)
    {
        while (true)
        {
            var status = Volatile.Read(ref _status);
            if (status != Idle) return; // already scheduled, or closed
            if (Interlocked.CompareExchange(ref _status, Scheduled, Idle) == Idle)
            {
                if (!useSlot || DispatcherThread.CurrentOrNull is not { InRun: true } thread || !thread.TryFill(this))
                    ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }
        }
    }

    internal override void Turn()
    {
        var cell = _cell;
        ActorCell.SetCurrent(cell);
        try
        {
            cell.ProcessSystemMessages();
            var budget = _throughput;
            while (budget-- > 0 && cell.CanProcessUserMessages && cell.TryDequeueUser(out var envelope))
            {
                cell.Invoke(envelope);
                if (Volatile.Read(ref _systemHead) is not null) cell.ProcessSystemMessages();
            }
        }
        finally
        {
            ActorCell.SetCurrent(null);
            // Go idle, then look again: a producer that saw us Scheduled did not schedule, so its
            // message may be waiting. The Interlocked.And is a full fence for the re-check below.
            // A mailbox with work left goes to the pool, not the slot, so it does not hog this thread.
            Interlocked.And(ref _status, ~Scheduled);
            if (!IsClosed && (HasSystemMessages || (cell.CanProcessUserMessages && cell.HasUserMessages)))
                TrySchedule(useSlot: false);
        }
    }
}

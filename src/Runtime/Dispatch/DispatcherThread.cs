namespace ActorTasks.Dispatch;

/// <summary>
/// What one thread-pool thread knows while it runs mailboxes: whether it is inside a run, and its "next" slot (as Go's
/// runnext). A mailbox scheduled during a run goes into the empty slot instead of the pool's queue and runs on this
/// thread as soon as the current mailbox's run ends, so a message and its answer cost no thread-pool round trip.
/// </summary>
/// <remarks>
/// The slot is held across the rest of the run, so a long handler after the scheduling one would keep the slotted
/// mailbox waiting. <see cref="SlotWatch"/> settles that: a slot it sees holding the same mailbox on two ticks in a row
/// (at least a millisecond) is taken from its thread and handed to the pool. Owner and watch race only on taking the
/// mailbox out, and both take it with an interlocked exchange, so exactly one of them runs or queues it.
/// </remarks>
internal sealed class DispatcherThread
{
    [ThreadStatic] private static DispatcherThread? t_current;

    // Filled by the owning thread only; emptied by the owner or the watch, each with an interlocked operation.
    private Mailbox? _next;
    // Written by the owning thread only, read by the watch.
    private long _fills;

    // The watch's own bookkeeping, touched by its thread only.
    internal long SeenFills;
    internal bool SeenHeld;

    private DispatcherThread() => Thread = Thread.CurrentThread;

    /// <summary>This thread's state, registered with the watch on first use.</summary>
    public static DispatcherThread Current => t_current ??= SlotWatch.Register(new DispatcherThread());

    /// <summary>The state of this thread if it has run a mailbox, without creating one.</summary>
    public static DispatcherThread? CurrentOrNull => t_current;

    public Thread Thread { get; }

    /// <summary>True while this thread is running mailboxes (the slot may be used).</summary>
    public bool InRun { get; set; }

    /// <summary>Fill counter: lets the watch tell a mailbox held for a whole tick from one refilled meanwhile.</summary>
    internal long Fills => Volatile.Read(ref _fills);

    internal Mailbox? PeekNext => Volatile.Read(ref _next);

    /// <summary>Puts <paramref name="mailbox"/> in the slot if it is empty; false when it is taken (the caller queues it to the pool).</summary>
    public bool TryFill(Mailbox mailbox)
    {
        // Only the owner ever fills the slot, so an empty slot seen here stays empty until this write.
        if (Volatile.Read(ref _next) is not null) return false;
        Volatile.Write(ref _fills, _fills + 1);
        Volatile.Write(ref _next, mailbox);
        SlotWatch.NoteFill();
        return true;
    }

    /// <summary>Takes the slotted mailbox, unless the watch has taken it (then it is in the pool already).</summary>
    public Mailbox? TakeNext() => Volatile.Read(ref _next) is null ? null : Interlocked.Exchange(ref _next, null);

    /// <summary>The watch's side of the race: takes <paramref name="expected"/> out of the slot if it is still there.</summary>
    internal bool TrySteal(Mailbox expected) => Interlocked.CompareExchange(ref _next, null, expected) == expected;
}

/// <summary>
/// A background thread that hands to the pool any mailbox left in a thread's next slot for over a millisecond (its
/// thread went on to a long handler). It ticks every millisecond while slots are in use and sleeps when they are not;
/// the first fill after a quiet spell wakes it.
/// </summary>
internal static class SlotWatch
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);
    // A sleeping watch still looks this often, should a wake-up have raced with its going to sleep.
    private static readonly TimeSpan IdleTick = TimeSpan.FromMilliseconds(50);
    private const int QuietTicksBeforeSleep = 100;

    private static readonly SemaphoreSlim Signal = new(0);
    private static DispatcherThread[] s_threads = [];
    private static int s_sleeping;
    private static int s_started;

    /// <summary>Adds a dispatcher thread to the watch (once per thread) and starts the watch on first use.</summary>
    public static DispatcherThread Register(DispatcherThread thread)
    {
        while (true)
        {
            var current = Volatile.Read(ref s_threads);
            DispatcherThread[] grown = [.. current, thread];
            if (Interlocked.CompareExchange(ref s_threads, grown, current) == current) break;
        }
        if (Interlocked.Exchange(ref s_started, 1) == 0)
        {
            new Thread(Run) { IsBackground = true, Name = "actortasks-slot-watch" }.Start();
        }
        return thread;
    }

    /// <summary>Called on every fill: wakes a sleeping watch. A plain read first, so a busy system pays no atomic here.</summary>
    public static void NoteFill()
    {
        if (Volatile.Read(ref s_sleeping) != 0 && Interlocked.Exchange(ref s_sleeping, 0) != 0) Signal.Release();
    }

    private static void Run()
    {
        var quiet = 0;
        while (true)
        {
            if (Scan()) quiet = 0;
            else quiet++;
            if (quiet < QuietTicksBeforeSleep)
            {
                Signal.Wait(Tick);
                continue;
            }
            Volatile.Write(ref s_sleeping, 1);
            var woken = Signal.Wait(IdleTick);
            Interlocked.Exchange(ref s_sleeping, 0);
            // Only a fill brings back the 1 ms ticks; a look after an idle wait that finds nothing sleeps again.
            if (woken) quiet = 0;
        }
    }

    /// <summary>One tick: steals mailboxes held since the last tick; true when any slot was in use or refilled.</summary>
    private static bool Scan()
    {
        var busy = false;
        var pruned = false;
        foreach (var thread in Volatile.Read(ref s_threads))
        {
            var fills = thread.Fills;
            var next = thread.PeekNext;
            if (fills != thread.SeenFills) busy = true;
            if (next is not null)
            {
                busy = true;
                if (thread.SeenHeld && fills == thread.SeenFills && thread.TrySteal(next))
                {
                    ThreadPool.UnsafeQueueUserWorkItem(next, preferLocal: false);
                    next = null;
                }
            }
            thread.SeenFills = fills;
            thread.SeenHeld = next is not null;
            if (!thread.Thread.IsAlive) pruned = true;
        }
        if (pruned) Prune();
        return busy;
    }

    // A retired pool thread's slot is empty (a run always empties it before returning), so dropping it loses nothing.
    private static void Prune()
    {
        while (true)
        {
            var current = Volatile.Read(ref s_threads);
            var alive = Array.FindAll(current, t => t.Thread.IsAlive || t.PeekNext is not null);
            if (Interlocked.CompareExchange(ref s_threads, alive, current) == current) return;
        }
    }
}

namespace ActorTasks.Dispatch;

/// <summary>
/// What one thread-pool thread knows while it runs mailboxes: whether it is inside a run, and its "next" slot (as Go's
/// runnext). A mailbox scheduled during a run (or an ask's reply, see <see cref="DispatcherWork"/>) goes into the empty
/// slot instead of the pool's queue and runs on this thread as soon as the current turn ends, so a message and its
/// answer cost no thread-pool round trip.
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
    private DispatcherWork? _next;
    // Written by the owning thread only, read by the watch.
    private long _fills;

    // Deferred until this thread's run ends (the transport's coalesced flushes). The owner adds and runs them; the
    // watch only reads them (a stale entry it reads is harmless: rescuing an action asks for work that finds none).
    private IRunEndAction?[] _deferred = new IRunEndAction?[4];
    private int _deferredCount;
    // Counts the lists started (empty to one action), so the watch can tell one long run from several short ones.
    private long _deferrals;

    // The watch's own bookkeeping, touched by its thread only.
    internal long SeenFills;
    internal bool SeenHeld;
    internal long SeenDeferrals;
    internal int DeferredTicks;

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

    internal DispatcherWork? PeekNext => Volatile.Read(ref _next);

    /// <summary>Puts <paramref name="work"/> in the slot if it is empty; false when it is taken (the caller queues it to the pool).</summary>
    public bool TryFill(DispatcherWork work)
    {
        // Only the owner ever fills the slot, so an empty slot seen here stays empty until this write.
        if (Volatile.Read(ref _next) is not null) return false;
        Volatile.Write(ref _fills, _fills + 1);
        Volatile.Write(ref _next, work);
        SlotWatch.NoteFill();
        return true;
    }

    /// <summary>Takes the slotted work, unless the watch has taken it (then it is in the pool already).</summary>
    public DispatcherWork? TakeNext() => Volatile.Read(ref _next) is null ? null : Interlocked.Exchange(ref _next, null);

    /// <summary>
    /// Asks for <paramref name="action"/> to run on this thread once its current run of mailboxes ends (or at its next
    /// time-slice check, whichever is first), once however often it is asked; false when this thread is not in a run,
    /// and the caller does the work its own way. Lets a run's many sends to one peer share one write. Should the run
    /// go on for a few milliseconds (a long handler), the watch has the action done elsewhere meanwhile.
    /// </summary>
    public static bool TryDefer(IRunEndAction action)
    {
        if (t_current is not { InRun: true } thread) return false;
        thread.Defer(action);
        return true;
    }

    /// <summary>
    /// Asks for <paramref name="action"/> to run on this thread as its current or next run ends (see
    /// <see cref="TryDefer"/>), whether or not it is in a run now: lets work that precedes a run defer to its end.
    /// </summary>
    public void Defer(IRunEndAction action)
    {
        var count = _deferredCount;
        var deferred = _deferred;
        for (var i = 0; i < count; i++)
        {
            if (ReferenceEquals(deferred[i], action)) return;
        }
        if (count == 0)
        {
            Volatile.Write(ref _deferrals, _deferrals + 1);
            SlotWatch.NoteFill();
        }
        if (count == deferred.Length)
        {
            Array.Resize(ref deferred, count * 2);
            Volatile.Write(ref _deferred, deferred);
        }
        deferred[count] = action;
        // Published after the entry, so the watch never reads a count that covers an entry not yet written.
        Volatile.Write(ref _deferredCount, count + 1);
    }

    /// <summary>Runs what was deferred to the end of the run, on this thread.</summary>
    internal void RunDeferred()
    {
        while (_deferredCount > 0)
        {
            var index = _deferredCount - 1;
            var action = _deferred[index]!;
            _deferred[index] = null;
            Volatile.Write(ref _deferredCount, index);
            action.RunAtRunEnd();
        }
    }

    /// <summary>Deferral counter and whether anything is deferred now, for the watch.</summary>
    internal (long Deferrals, bool Pending) DeferredState => (Volatile.Read(ref _deferrals), Volatile.Read(ref _deferredCount) > 0);

    /// <summary>The watch's rescue of a long run: has each action deferred in it done elsewhere, now.</summary>
    internal void RescueDeferred()
    {
        var deferred = Volatile.Read(ref _deferred);
        var count = Math.Min(Volatile.Read(ref _deferredCount), deferred.Length);
        for (var i = 0; i < count; i++) Volatile.Read(ref deferred[i])?.RunElsewhere();
    }

    /// <summary>The watch's side of the race: takes <paramref name="expected"/> out of the slot if it is still there.</summary>
    internal bool TrySteal(DispatcherWork expected) => Interlocked.CompareExchange(ref _next, null, expected) == expected;
}

/// <summary>Work a run defers to its end on its own thread (see <see cref="DispatcherThread.TryDefer"/>); must not throw.</summary>
internal interface IRunEndAction
{
    /// <summary>Does the work on the thread whose run deferred it, as the run ends.</summary>
    void RunAtRunEnd();

    /// <summary>
    /// Has the work done elsewhere, without blocking (called from the watch's thread while the run that deferred it
    /// is still going, possibly at the same time as <see cref="RunAtRunEnd"/>, and again each tick it goes on).
    /// </summary>
    void RunElsewhere();
}

/// <summary>
/// A background thread that hands to the pool any mailbox left in a thread's next slot for over a millisecond (its
/// thread went on to a long handler), and has the work that such a run deferred to its end done elsewhere after a few
/// milliseconds. It ticks every millisecond while slots or deferrals are in use and sleeps when they are not; the
/// first fill or deferral after a quiet spell wakes it.
/// </summary>
internal static class SlotWatch
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);
    // A sleeping watch still looks this often, should a wake-up have raced with its going to sleep.
    private static readonly TimeSpan IdleTick = TimeSpan.FromMilliseconds(50);
    private const int QuietTicksBeforeSleep = 100;
    // A run's deferred work waits a few ticks before the watch has it done elsewhere: a run that long is rare (a long
    // handler), and the wait keeps short runs, which end sooner, coalescing their writes.
    private const int DeferredRescueTicks = 4;

    // Neither wait spins: a SemaphoreSlim spun (sched_yield) before each 1 ms wait, a few percent of a busy machine.
    private static readonly AutoResetEvent Signal = new(false);
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
        if (Volatile.Read(ref s_sleeping) != 0 && Interlocked.Exchange(ref s_sleeping, 0) != 0) Signal.Set();
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
                Thread.Sleep(Tick); // this thread's own, never a dispatcher's
                continue;
            }
            Volatile.Write(ref s_sleeping, 1);
            var woken = Signal.WaitOne(IdleTick);
            Interlocked.Exchange(ref s_sleeping, 0);
            // Only a fill brings back the 1 ms ticks; a look after an idle wait that finds nothing sleeps again.
            if (woken) quiet = 0;
        }
    }

    /// <summary>
    /// One tick: steals mailboxes held since the last tick and rescues deferrals pending since then; true when any slot
    /// or deferral was in use or renewed.
    /// </summary>
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
            var (deferrals, deferred) = thread.DeferredState;
            if (deferrals != thread.SeenDeferrals) busy = true;
            // Ticks in a row that saw the same list pending: one run has held it that long.
            thread.DeferredTicks = !deferred ? 0 : deferrals == thread.SeenDeferrals ? thread.DeferredTicks + 1 : 1;
            if (deferred)
            {
                busy = true;
                if (thread.DeferredTicks > DeferredRescueTicks) thread.RescueDeferred();
            }
            thread.SeenDeferrals = deferrals;
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

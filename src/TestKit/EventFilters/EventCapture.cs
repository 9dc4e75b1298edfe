using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ActorTasks.Actor;
using ActorTasks.Dispatch;
using ActorTasks.Event;
using Serilog.Core;
using Serilog.Events;

namespace ActorTasks.Testing;

/// <summary>
/// Sees every log event of one actor system (as a Serilog sink) and every dead letter and unhandled message (through a
/// tap on its event stream), and offers each to the event filters active at that moment. This is test
/// infrastructure, not an actor: Serilog calls sinks synchronously on whatever thread logs (dispatcher threads
/// included), so the set of active filters is an immutable array swapped by CAS and each filter counts with
/// Interlocked — nothing here blocks the thread that logs.
/// </summary>
internal sealed class EventCapture : ILogEventSink
{
    private static readonly ConditionalWeakTable<ActorSystem, EventCapture> s_bySystem = new();

    private readonly ILogEventSink? _next;
    private ActiveFilter[] _active = [];

    /// <summary>A capture that receives the system's log events and passes them on to <paramref name="next"/>.</summary>
    public EventCapture(ILogEventSink? next)
    {
        _next = next;
        CapturesLogs = true;
    }

    private EventCapture()
    {
    }

    /// <summary>False for systems not created by a TestKit: their logs go elsewhere, only their dead letters are seen.</summary>
    public bool CapturesLogs { get; }

    /// <summary>The capture of <paramref name="system"/>: the one its TestKit installed, or else a new one for its event stream only.</summary>
    public static EventCapture For(ActorSystem system) => s_bySystem.GetValue(system, static s =>
    {
        var capture = new EventCapture();
        capture.Tap(s);
        return capture;
    });

    /// <summary>Registers this capture as the one of <paramref name="system"/>, whose logger already writes to it.</summary>
    public void AttachTo(ActorSystem system)
    {
        s_bySystem.Add(system, this);
        Tap(system);
    }

    private void Tap(ActorSystem system)
    {
        var tap = new EventStreamTap(system.NewTempPath(), this);
        system.EventStream.Subscribe<DeadLetter>(tap);
        system.EventStream.Subscribe<UnhandledMessage>(tap);
    }

    public void Emit(LogEvent logEvent)
    {
        // Output first: once a filter has counted the event (and the test moved on), its line is already written.
        try
        {
            _next?.Emit(logEvent);
        }
        finally
        {
            Offer(logEvent);
        }
    }

    /// <summary>Offers a log event, dead letter or unhandled message to every active filter.</summary>
    public void Offer(object @event)
    {
        foreach (var filter in Volatile.Read(ref _active)) filter.Offer(@event);
    }

    /// <summary>Starts counting for <paramref name="filter"/>; events before this call are not seen by it.</summary>
    public void Activate(ActiveFilter filter) => Update(active => [.. active, filter]);

    public void Deactivate(ActiveFilter filter) => Update(active => active.Where(f => f != filter).ToArray());

    private void Update(Func<ActiveFilter[], ActiveFilter[]> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _active);
            if (Interlocked.CompareExchange(ref _active, change(current), current) == current) return;
        }
    }

    /// <summary>
    /// The event-stream subscriber: not an actor but a ref whose Tell runs on the publishing thread, so that an event
    /// counts for exactly the filters active when it was published (a mailbox would let an earlier dead letter reach a
    /// filter that started later).
    /// </summary>
    private sealed class EventStreamTap(ActorPath path, EventCapture capture) : ActorRefBase
    {
        public override ActorPath Path { get; } = path;

        public override bool IsTerminated => false;

        public override void Tell(object message, IActorRef? sender) => capture.Offer(message);

        internal override void SendSystemMessage(SystemMessage message)
        {
        }
    }
}

/// <summary>One running <c>Expect</c> of an event filter: counts matches (from any thread) and keeps a few for the failure message.</summary>
internal sealed class ActiveFilter(Func<object, bool> matches, Func<object, bool> isSameKind, int occurrences)
{
    private const int Kept = 5;

    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<object> _matched = new();
    private readonly ConcurrentQueue<object> _others = new();
    private int _count;

    /// <summary>Completes once at least the expected number of matches was seen.</summary>
    public Task Reached => occurrences == 0 ? Task.CompletedTask : _reached.Task;

    public int Count => Volatile.Read(ref _count);

    /// <summary>A few of the events that matched, oldest first.</summary>
    public IEnumerable<object> Matched => _matched;

    /// <summary>A few events of the filter's kind (log events, or dead letters, …) that did not match.</summary>
    public IEnumerable<object> Others => _others;

    public void Offer(object @event)
    {
        if (matches(@event))
        {
            var n = Interlocked.Increment(ref _count);
            if (n <= Kept) _matched.Enqueue(@event);
            if (n >= occurrences) _reached.TrySetResult();
        }
        else if (isSameKind(@event) && _others.Count < Kept) // a racing thread may add one more: harmless
        {
            _others.Enqueue(@event);
        }
    }
}

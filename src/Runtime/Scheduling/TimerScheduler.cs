using ActorTasks.Scheduling;

namespace ActorTasks.Actor;

/// <summary>
/// An actor's own timers. Used only on the actor's thread. Every start gets a new generation, so a message
/// from a cancelled or replaced timer that is already in the mailbox is recognised and dropped.
/// </summary>
internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, Entry> _timers = [];
    private int _generation;

    public void StartSingleTimer(object key, object message, TimeSpan delay) => Start(key, message, delay, null);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) => Start(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval) =>
        Start(key, message, initialDelay, interval);

    private void Start(object key, object message, TimeSpan delay, TimeSpan? interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        Cancel(key);
        var generation = ++_generation;
        var timerMessage = new TimerMessage(key, generation, message, this);
        var scheduler = cell.System.Scheduler;
        var cancelable = interval is { } every
            ? scheduler.ScheduleTellRepeatedly(delay, every, cell.Self, timerMessage, cell.Self)
            : scheduler.ScheduleTellOnce(delay, cell.Self, timerMessage, cell.Self);
        _timers[key] = new Entry(generation, cancelable, interval is not null);
    }

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var entry)) entry.Cancelable.Cancel();
    }

    public void CancelAll()
    {
        foreach (var entry in _timers.Values) entry.Cancelable.Cancel();
        _timers.Clear();
    }

    /// <summary>True when the message comes from the live timer of its key (a single timer is then done).</summary>
    internal bool TryTakeForDelivery(TimerMessage message)
    {
        if (!ReferenceEquals(message.Owner, this)
            || !_timers.TryGetValue(message.Key, out var entry)
            || entry.Generation != message.Generation)
            return false;
        if (!entry.Repeated) _timers.Remove(message.Key);
        return true;
    }

    private readonly record struct Entry(int Generation, ICancelable Cancelable, bool Repeated);

    internal sealed record TimerMessage(object Key, int Generation, object Message, TimerScheduler Owner) : IAutoReceivedMessage;
}

using System.Collections.Concurrent;
using ActorTasks.Actor;

namespace ActorTasks.Scheduling;

/// <summary>Something scheduled that can be cancelled; cancelling twice is harmless.</summary>
public interface ICancelable
{
    void Cancel();

    bool IsCancellationRequested { get; }
}

/// <summary>
/// Sends messages (or runs actions) later, once or repeatedly. Backed by the runtime's timer queue; all
/// outstanding items are cancelled when the system terminates.
/// </summary>
public sealed class Scheduler : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<ScheduledItem, byte> _active = new();
    private volatile bool _disposed;

    public Scheduler(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    public TimeProvider TimeProvider => _time;

    /// <summary>Sends <paramref name="message"/> to <paramref name="receiver"/> once, after <paramref name="delay"/>.</summary>
    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        return Schedule(delay, Timeout.InfiniteTimeSpan, () => receiver.Tell(message, sender ?? Nobody.Instance));
    }

    /// <summary>Sends <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/> until cancelled.</summary>
    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        CheckInterval(interval);
        return Schedule(initialDelay, interval, () => receiver.Tell(message, sender ?? Nobody.Instance));
    }

    /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/> on a pool thread (never inside an actor).</summary>
    public ICancelable ScheduleOnce(TimeSpan delay, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Schedule(delay, Timeout.InfiniteTimeSpan, action);
    }

    public ICancelable ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckInterval(interval);
        return Schedule(initialDelay, interval, action);
    }

    private static void CheckInterval(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "a repeat interval must be positive");
    }

    private ICancelable Schedule(TimeSpan delay, TimeSpan interval, Action action)
    {
        if (delay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "a delay must not be negative");
        if (_disposed) return ScheduledItem.Cancelled;
        var item = new ScheduledItem(this, action, interval != Timeout.InfiniteTimeSpan);
        _active.TryAdd(item, 0);
        item.Start(_time, delay, interval);
        if (_disposed) item.Cancel();
        return item;
    }

    /// <summary>Cancels everything still scheduled.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var item in _active.Keys) item.Cancel();
    }

    private sealed class ScheduledItem(Scheduler owner, Action action, bool repeated) : ICancelable
    {
        public static readonly ScheduledItem Cancelled = CreateCancelled();

        private ITimer? _timer;
        private int _cancelled;

        public bool IsCancellationRequested => Volatile.Read(ref _cancelled) != 0;

        public void Start(TimeProvider time, TimeSpan delay, TimeSpan interval)
        {
            _timer = time.CreateTimer(static s => ((ScheduledItem)s!).Fire(), this, delay, interval);
            if (IsCancellationRequested) _timer.Dispose();
        }

        private void Fire()
        {
            if (IsCancellationRequested) return;
            if (!repeated) Cancel();
            try
            {
                action();
            }
            catch (Exception e)
            {
                Serilog.Log.Logger.Error(e, "a scheduled action threw");
            }
        }

        public void Cancel()
        {
            if (Interlocked.Exchange(ref _cancelled, 1) != 0) return;
            Volatile.Read(ref _timer)?.Dispose();
            owner?._active.TryRemove(this, out _);
        }

        private static ScheduledItem CreateCancelled()
        {
            var item = new ScheduledItem(null!, () => { }, false);
            item._cancelled = 1;
            return item;
        }
    }
}

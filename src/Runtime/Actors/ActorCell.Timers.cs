using System.Diagnostics;
using ActorTasks.Dispatch;
using ActorTasks.Scheduling;

namespace ActorTasks.Actor;

public sealed partial class ActorCell
{
    private TimerScheduler? _timers;
    private TimeSpan? _receiveTimeout;
    private long _lastActivity;
    private ICancelable? _receiveTimeoutTimer;
    private int _receiveTimeoutGeneration;

    internal ITimerScheduler TimerScheduler => _timers ??= new TimerScheduler(this);

    public TimeSpan? ReceiveTimeout => _receiveTimeout;

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        StopReceiveTimeout();
        if (timeout is not { } t || t <= TimeSpan.Zero || t == Timeout.InfiniteTimeSpan) return;
        _receiveTimeout = t;
        _lastActivity = Stopwatch.GetTimestamp();
        ScheduleReceiveTimeoutTick(t);
    }

    private void ScheduleReceiveTimeoutTick(TimeSpan delay) =>
        _receiveTimeoutTimer = _system.Scheduler.ScheduleTellOnce(delay, _self, new ReceiveTimeoutTick(_receiveTimeoutGeneration), _self);

    private void HandleReceiveTimeoutTick(ReceiveTimeoutTick tick)
    {
        if (tick.Generation != _receiveTimeoutGeneration || _receiveTimeout is not { } timeout) return;
        var idle = Stopwatch.GetElapsedTime(_lastActivity);
        if (idle < timeout)
        {
            // Messages arrived since the tick was scheduled: wait out the rest of the idle period.
            ScheduleReceiveTimeoutTick(timeout - idle);
            return;
        }
        _lastActivity = Stopwatch.GetTimestamp();
        ScheduleReceiveTimeoutTick(timeout);
        _current = new Envelope(global::ActorTasks.Actor.ReceiveTimeout.Instance, _self);
        ReceiveMessage(global::ActorTasks.Actor.ReceiveTimeout.Instance);
    }

    private void StopReceiveTimeout()
    {
        _receiveTimeout = null;
        _receiveTimeoutGeneration++;
        _receiveTimeoutTimer?.Cancel();
        _receiveTimeoutTimer = null;
    }
}

internal sealed record ReceiveTimeoutTick(int Generation) : IAutoReceivedMessage, INotInfluenceReceiveTimeout;

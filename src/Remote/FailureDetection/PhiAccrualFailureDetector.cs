namespace ActorTasks.Remote.FailureDetection;

/// <summary>
/// A phi-accrual failure detector (Hayashibara et al.): instead of a yes/no timeout it computes phi, the
/// suspicion that the node is gone, from how late the next heartbeat is compared with the recent intervals.
/// Phi = -log10(chance that a live node's heartbeat would be this late); above the threshold the node is unavailable.
/// Safe to use from several threads: its state is one immutable snapshot replaced atomically.
/// </summary>
public sealed class PhiAccrualFailureDetector : IFailureDetector
{
    private readonly TimeProvider _clock;
    private readonly double _minStdMs;
    private readonly double _pauseMs;
    private readonly HeartbeatHistory _firstHistory;
    private State _state;

    /// <summary>A detector with <paramref name="settings"/>, reading time from <paramref name="clock"/> (default: the system clock).</summary>
    public PhiAccrualFailureDetector(FailureDetectorSettings settings, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings.Validate();
        _clock = clock ?? TimeProvider.System;
        _minStdMs = settings.MinStdDeviation.TotalMilliseconds;
        _pauseMs = settings.AcceptableHeartbeatPause.TotalMilliseconds;
        // Until real intervals arrive, assume the estimate with a spread of a quarter of it either side.
        var estimate = settings.FirstHeartbeatEstimate.TotalMilliseconds;
        _firstHistory = HeartbeatHistory.Empty(settings.MaxSampleSize).Add(estimate - estimate / 4).Add(estimate + estimate / 4);
        _state = new State(_firstHistory, null);
    }

    public FailureDetectorSettings Settings { get; }

    /// <summary>The clock's current reading, the time base of the <c>…At</c> methods.</summary>
    public TimeSpan Now => _clock.GetElapsedTime(0);

    public bool IsAvailable => IsAvailableAt(Now);

    public bool IsMonitoring => Volatile.Read(ref _state).LastHeartbeatMs is not null;

    /// <summary>The current suspicion level; 0 while nothing has been heard.</summary>
    public double Phi => PhiAt(Now);

    public void Heartbeat() => HeartbeatAt(Now);

    /// <summary>Records a heartbeat that arrived at <paramref name="now"/> (a reading of this detector's clock).</summary>
    public void HeartbeatAt(TimeSpan now)
    {
        var nowMs = now.TotalMilliseconds;
        while (true)
        {
            var current = Volatile.Read(ref _state);
            var history = current.History;
            if (current.LastHeartbeatMs is { } last)
            {
                var interval = nowMs - last;
                // A silence long enough to be suspected is not a sample of normal intervals: recording it would
                // inflate mean and deviation and make the next failure slow to detect.
                if (interval >= 0 && PhiOf(current, nowMs) <= Settings.Threshold)
                    history = history.Add(interval);
            }
            var next = new State(history, nowMs);
            if (Interlocked.CompareExchange(ref _state, next, current) == current) return;
        }
    }

    /// <summary>Phi at <paramref name="now"/>; 0 before the first heartbeat.</summary>
    public double PhiAt(TimeSpan now) => PhiOf(Volatile.Read(ref _state), now.TotalMilliseconds);

    /// <summary>False when phi at <paramref name="now"/> is above the threshold; true before the first heartbeat.</summary>
    public bool IsAvailableAt(TimeSpan now) => PhiAt(now) < Settings.Threshold;

    /// <summary>Forgets every heartbeat: the detector is back to not monitoring.</summary>
    public void Reset() => Volatile.Write(ref _state, new State(_firstHistory, null));

    private double PhiOf(State state, double nowMs)
    {
        if (state.LastHeartbeatMs is not { } last) return 0;
        var elapsed = nowMs - last;
        var mean = state.History.Mean + _pauseMs;
        var std = Math.Max(state.History.StandardDeviation, _minStdMs);
        return PhiOfNormal(elapsed, mean, std);
    }

    /// <summary>
    /// -log10 of the normal tail P(X &gt; elapsed) for X ~ N(mean, std²), with the logistic approximation of the
    /// normal CDF (Bowling et al. 2009), which stays finite and monotonic far into the tail.
    /// </summary>
    internal static double PhiOfNormal(double elapsedMs, double meanMs, double stdMs)
    {
        var y = (elapsedMs - meanMs) / stdMs;
        var e = Math.Exp(-y * (1.5976 + 0.070566 * y * y));
        // Two algebraically equal forms, each used where it does not lose precision.
        return elapsedMs > meanMs ? -Math.Log10(e / (1.0 + e)) : -Math.Log10(1.0 - 1.0 / (1.0 + e));
    }

    private sealed record State(HeartbeatHistory History, double? LastHeartbeatMs);
}

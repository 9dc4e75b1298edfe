using ActorTasks.Remote.FailureDetection;
using Xunit;

namespace ActorTasks.Remote.Tests.FailureDetection;

public sealed class PhiAccrualFailureDetectorTests
{
    private readonly ManualClock _clock = new();

    private PhiAccrualFailureDetector Detector(FailureDetectorSettings? settings = null) =>
        new(settings ?? FailureDetectorSettings.Default, _clock);

    /// <summary>Sends <paramref name="count"/> heartbeats, the first now and each next one <paramref name="intervalMs"/> later.</summary>
    private void Beat(PhiAccrualFailureDetector detector, int count, double intervalMs)
    {
        for (var i = 0; i < count; i++)
        {
            if (i > 0) _clock.AdvanceMs(intervalMs);
            detector.Heartbeat();
        }
    }

    /// <summary>The first moment (10 ms steps, from the last heartbeat) at which the detector reports the node unavailable.</summary>
    private static TimeSpan TimeToSuspect(PhiAccrualFailureDetector detector)
    {
        var start = detector.Now;
        for (var t = TimeSpan.Zero; t < TimeSpan.FromMinutes(1); t += TimeSpan.FromMilliseconds(10))
            if (!detector.IsAvailableAt(start + t)) return t;
        throw new InvalidOperationException("never suspected within a minute");
    }

    [Fact]
    public void Before_the_first_heartbeat_it_is_available_not_monitoring_and_phi_is_zero()
    {
        var detector = Detector();
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.False(detector.IsMonitoring);
        Assert.True(detector.IsAvailable);
        Assert.Equal(0, detector.Phi);
    }

    [Fact]
    public void The_first_heartbeat_starts_monitoring()
    {
        var detector = Detector();
        detector.Heartbeat();
        Assert.True(detector.IsMonitoring);
        Assert.True(detector.IsAvailable);
    }

    [Fact]
    public void Regular_heartbeats_keep_it_available_and_silence_beyond_the_pause_makes_it_unavailable()
    {
        var detector = Detector();
        Beat(detector, 20, 500);
        _clock.AdvanceMs(500);
        Assert.True(detector.IsAvailable);
        _clock.AdvanceMs(1400); // 1.9 s of silence: still inside mean interval + acceptable pause
        Assert.True(detector.IsAvailable);
        _clock.AdvanceMs(1100); // 3 s of silence
        Assert.False(detector.IsAvailable);
    }

    [Fact]
    public void Phi_rises_monotonically_with_the_silence()
    {
        var detector = Detector();
        Beat(detector, 10, 500);
        var previous = -1.0;
        for (var ms = 0; ms <= 5000; ms += 50)
        {
            var phi = detector.PhiAt(detector.Now + TimeSpan.FromMilliseconds(ms));
            Assert.True(phi >= previous, $"phi fell from {previous} to {phi} at {ms} ms");
            previous = phi;
        }
        Assert.True(double.IsPositiveInfinity(previous) || previous > 100, $"phi after 5 s is only {previous}");
    }

    [Fact]
    public void Phi_is_log10_of_two_when_the_silence_equals_the_expected_interval()
    {
        Assert.Equal(Math.Log10(2), PhiAccrualFailureDetector.PhiOfNormal(1000, 1000, 100), 6);
        Assert.True(PhiAccrualFailureDetector.PhiOfNormal(900, 1000, 100) < Math.Log10(2));
    }

    [Fact]
    public void With_default_settings_a_silent_node_is_suspected_between_2_and_2_75_seconds_after_its_last_heartbeat()
    {
        // The cluster promises Unreachable within 3 s of a kill; the reaper tick adds at most a quarter second.
        var detector = Detector();
        Beat(detector, 60, 500);
        var t = TimeToSuspect(detector);
        Assert.InRange(t, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.75));
    }

    [Fact]
    public void Min_std_deviation_keeps_perfectly_regular_heartbeats_from_making_it_hair_triggered()
    {
        var detector = Detector(FailureDetectorSettings.Default with { AcceptableHeartbeatPause = TimeSpan.Zero });
        Beat(detector, 100, 500);
        // Identical intervals have zero deviation; the 100 ms floor still allows a heartbeat 200 ms late.
        Assert.True(detector.IsAvailableAt(detector.Now + TimeSpan.FromMilliseconds(700)));
        Assert.False(detector.IsAvailableAt(detector.Now + TimeSpan.FromMilliseconds(1200)));
    }

    [Fact]
    public void Jittery_heartbeats_widen_the_tolerance()
    {
        var settings = FailureDetectorSettings.Default with { AcceptableHeartbeatPause = TimeSpan.Zero };
        var steady = Detector(settings);
        Beat(steady, 100, 500);
        var jittery = new PhiAccrualFailureDetector(settings, _clock);
        for (var i = 0; i < 100; i++)
        {
            _clock.AdvanceMs(i % 2 == 0 ? 100 : 900); // same mean, large deviation
            jittery.Heartbeat();
        }
        Assert.True(TimeToSuspect(jittery) > TimeToSuspect(steady) + TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void The_first_heartbeat_estimate_is_used_until_intervals_are_measured()
    {
        var quick = Detector(FailureDetectorSettings.Default with { FirstHeartbeatEstimate = TimeSpan.FromMilliseconds(500) });
        var slow = new PhiAccrualFailureDetector(
            FailureDetectorSettings.Default with { FirstHeartbeatEstimate = TimeSpan.FromSeconds(5) }, _clock);
        quick.Heartbeat();
        slow.Heartbeat();
        _clock.AdvanceMs(4000);
        Assert.False(quick.IsAvailable);
        Assert.True(slow.IsAvailable);
    }

    [Fact]
    public void A_silence_long_enough_to_be_suspected_is_not_learned_as_a_normal_interval()
    {
        var detector = Detector();
        Beat(detector, 20, 500);
        var before = TimeToSuspect(detector);
        _clock.Advance(TimeSpan.FromSeconds(30)); // the node was gone, then comes back
        detector.Heartbeat();
        Assert.True(detector.IsAvailable);
        Assert.Equal(before, TimeToSuspect(detector));
    }

    [Fact]
    public void Heartbeats_are_measured_over_a_bounded_window()
    {
        var settings = FailureDetectorSettings.Default with { MaxSampleSize = 5, AcceptableHeartbeatPause = TimeSpan.Zero };
        var detector = Detector(settings);
        Beat(detector, 50, 2000);
        var slowRhythm = TimeToSuspect(detector);
        for (var i = 0; i < 5; i++)
        {
            _clock.AdvanceMs(200);
            detector.Heartbeat();
        }
        // Only the five 200 ms intervals are left in the window: the long ones no longer count.
        Assert.True(TimeToSuspect(detector) < TimeSpan.FromMilliseconds(800), $"{TimeToSuspect(detector)} vs {slowRhythm}");
    }

    [Fact]
    public void Reset_forgets_every_heartbeat()
    {
        var detector = Detector();
        Beat(detector, 5, 500);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(detector.IsAvailable);
        detector.Reset();
        Assert.False(detector.IsMonitoring);
        Assert.True(detector.IsAvailable);
    }

    [Fact]
    public void Concurrent_heartbeats_from_several_threads_leave_it_monitoring_and_available()
    {
        var detector = Detector();
        Parallel.For(0, 10_000, _ => detector.Heartbeat());
        Assert.True(detector.IsMonitoring);
        Assert.True(detector.IsAvailable);
    }
}

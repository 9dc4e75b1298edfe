using ActorTasks.Remote.FailureDetection;
using Xunit;

namespace ActorTasks.Remote.Tests.FailureDetection;

public sealed class FailureDetectorRegistryTests
{
    private readonly ManualClock _clock = new();

    private FailureDetectorRegistry<string> Registry() =>
        new(() => new PhiAccrualFailureDetector(FailureDetectorSettings.Default, _clock));

    [Fact]
    public void A_key_never_heard_from_is_available_and_not_monitored()
    {
        var registry = Registry();
        Assert.True(registry.IsAvailable("a"));
        Assert.False(registry.IsMonitoring("a"));
        Assert.Null(registry.Get("a"));
    }

    [Fact]
    public void Each_key_has_its_own_detector()
    {
        var registry = Registry();
        registry.Heartbeat("a");
        registry.Heartbeat("b");
        for (var i = 0; i < 10; i++)
        {
            _clock.AdvanceMs(500);
            registry.Heartbeat("a");
        }
        Assert.True(registry.IsAvailable("a"));
        Assert.False(registry.IsAvailable("b"));
        Assert.Equal(["a", "b"], registry.Monitored.Order());
    }

    [Fact]
    public void Remove_stops_monitoring_and_the_next_heartbeat_starts_fresh()
    {
        var registry = Registry();
        registry.Heartbeat("a");
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(registry.IsAvailable("a"));
        registry.Remove("a");
        Assert.True(registry.IsAvailable("a"));
        Assert.False(registry.IsMonitoring("a"));
        registry.Heartbeat("a");
        Assert.True(registry.IsAvailable("a"));
    }

    [Fact]
    public void Reset_stops_monitoring_everything()
    {
        var registry = Registry();
        registry.Heartbeat("a");
        registry.Heartbeat("b");
        registry.Reset();
        Assert.Empty(registry.Monitored);
    }
}

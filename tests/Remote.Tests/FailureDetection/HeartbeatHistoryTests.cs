using ActorTasks.Remote.FailureDetection;
using Xunit;

namespace ActorTasks.Remote.Tests.FailureDetection;

public sealed class HeartbeatHistoryTests
{
    [Fact]
    public void Mean_and_standard_deviation_are_those_of_the_intervals()
    {
        var history = HeartbeatHistory.Empty(10).Add(2).Add(4).Add(4).Add(4).Add(5).Add(5).Add(7).Add(9);
        Assert.Equal(8, history.Count);
        Assert.Equal(5, history.Mean, 9);
        Assert.Equal(2, history.StandardDeviation, 9);
    }

    [Fact]
    public void Past_the_window_the_oldest_intervals_drop_out()
    {
        var history = HeartbeatHistory.Empty(3);
        foreach (var x in new[] { 100.0, 100, 100, 10, 20, 30 }) history = history.Add(x);
        Assert.Equal(3, history.Count);
        Assert.Equal(20, history.Mean, 9);
    }

    [Fact]
    public void Adding_leaves_the_original_unchanged()
    {
        var one = HeartbeatHistory.Empty(5).Add(10);
        var two = one.Add(30);
        Assert.Equal(1, one.Count);
        Assert.Equal(10, one.Mean);
        Assert.Equal(20, two.Mean);
    }

    [Fact]
    public void An_empty_window_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HeartbeatHistory.Empty(0));
    }
}

using System.Globalization;

namespace ActorTasks.Testing;

/// <summary>The TestKit's timing knobs; every duration it uses is multiplied by <see cref="TimeFactor"/>.</summary>
public sealed record TestKitSettings
{
    /// <summary>The environment variable that sets <see cref="TimeFactor"/> (e.g. <c>2</c> on a slow CI machine).</summary>
    public const string TimeFactorVariable = "ACTORTASKS_TEST_TIMEFACTOR";

    /// <summary>Multiplier applied to every timeout the TestKit uses (default timeouts and explicit ones alike).</summary>
    public double TimeFactor { get; init; } = 1.0;

    /// <summary>How long an expectation waits when the test names no timeout (before dilation).</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long <c>ExpectNoMsg()</c> listens when no duration is given (before dilation).</summary>
    public TimeSpan DefaultNoMessageDuration { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often <c>AwaitAssert</c> and <c>AwaitCondition</c> retry when the test names no interval (not dilated).</summary>
    public TimeSpan DefaultPollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long disposing a TestKit waits for its actor system to terminate (before dilation).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Defaults, with the time factor read from <see cref="TimeFactorVariable"/>.</summary>
    public static TestKitSettings FromEnvironment() => FromTimeFactor(Environment.GetEnvironmentVariable(TimeFactorVariable));

    /// <summary>Defaults with the time factor parsed from <paramref name="value"/> (null or blank means 1).</summary>
    internal static TestKitSettings FromTimeFactor(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return new TestKitSettings();
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor)
            || !double.IsFinite(factor) || factor <= 0)
        {
            throw new InvalidOperationException(
                $"environment variable {TimeFactorVariable}='{value}' is not a valid time factor: expected a positive number such as 1.5 or 3");
        }
        return new TestKitSettings { TimeFactor = factor };
    }

    /// <summary><paramref name="duration"/> multiplied by <see cref="TimeFactor"/>; infinite stays infinite.</summary>
    public TimeSpan Dilated(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan ? duration : TimeSpan.FromTicks((long)(duration.Ticks * TimeFactor));
}

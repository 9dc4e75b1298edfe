using ActorTasks.Hocon;
using ActorTasks.Remote.FailureDetection;
using Xunit;

namespace ActorTasks.Remote.Tests.FailureDetection;

public sealed class FailureDetectorSettingsTests
{
    [Fact]
    public void Reads_every_key_of_the_block()
    {
        var config = ConfigFactory.ParseString("""
            fd {
              heartbeat-interval = 1s
              threshold = 10.5
              max-sample-size = 200
              min-std-deviation = 50ms
              acceptable-heartbeat-pause = 4s
              first-heartbeat-estimate = 2s
            }
            """);
        var settings = FailureDetectorSettings.Create(config, "fd");
        Assert.Equal(new FailureDetectorSettings
        {
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            Threshold = 10.5,
            MaxSampleSize = 200,
            MinStdDeviation = TimeSpan.FromMilliseconds(50),
            AcceptableHeartbeatPause = TimeSpan.FromSeconds(4),
            FirstHeartbeatEstimate = TimeSpan.FromSeconds(2),
        }, settings);
    }

    [Fact]
    public void Missing_keys_keep_defaults_and_the_first_estimate_follows_the_heartbeat_interval()
    {
        var settings = FailureDetectorSettings.Create(ConfigFactory.ParseString("fd.heartbeat-interval = 200ms"), "fd");
        Assert.Equal(TimeSpan.FromMilliseconds(200), settings.FirstHeartbeatEstimate);
        Assert.Equal(FailureDetectorSettings.Default.Threshold, settings.Threshold);
    }

    [Theory]
    [InlineData("threshold = 0", "fd.threshold")]
    [InlineData("heartbeat-interval = 0s", "fd.heartbeat-interval")]
    [InlineData("min-std-deviation = 0ms", "fd.min-std-deviation")]
    [InlineData("max-sample-size = 0", "fd.max-sample-size")]
    [InlineData("acceptable-heartbeat-pause = -1s", "fd.acceptable-heartbeat-pause")]
    public void A_bad_value_is_refused_naming_its_key(string line, string key)
    {
        var e = Assert.Throws<ConfigException>(() => FailureDetectorSettings.Create(ConfigFactory.ParseString("fd { " + line + " }"), "fd"));
        Assert.StartsWith(key + ":", e.Reason);
        Assert.Equal(key, e.Path);
        Assert.Equal(1, e.Line); // the place the bad value was set
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_refused_naming_its_key()
    {
        var e = Assert.Throws<ConfigException>(() => FailureDetectorSettings.Create(ConfigFactory.ParseString("fd.threshold = high"), "fd"));
        Assert.Contains("fd.threshold", e.Message);
    }

    [Fact]
    public void The_detector_validates_settings_made_in_code()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new PhiAccrualFailureDetector(FailureDetectorSettings.Default with { Threshold = -1 }));
        Assert.StartsWith("threshold", e.Message);
    }
}

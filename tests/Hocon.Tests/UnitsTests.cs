using Xunit;

namespace ActorTasks.Hocon.Tests;

public class UnitsTests
{
    private static TimeSpan Duration(string value) => ConfigFactory.ParseString($"x = {value}").GetTimeSpan("x");

    private static long Bytes(string value) => ConfigFactory.ParseString($"x = {value}").GetByteSize("x");

    [Theory]
    [InlineData("1500", 1500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("1.5", 15000)]
    [InlineData("100ns", 1)]
    [InlineData("250 nanoseconds", 2)]
    [InlineData("3us", 30)]
    [InlineData("2 micros", 20)]
    [InlineData("7ms", 7 * TimeSpan.TicksPerMillisecond)]
    [InlineData("7 millis", 7 * TimeSpan.TicksPerMillisecond)]
    [InlineData("10s", 10 * TimeSpan.TicksPerSecond)]
    [InlineData("10 seconds", 10 * TimeSpan.TicksPerSecond)]
    [InlineData("0.5s", 5 * TimeSpan.TicksPerSecond / 10)]
    [InlineData("2m", 2 * TimeSpan.TicksPerMinute)]
    [InlineData("2 minutes", 2 * TimeSpan.TicksPerMinute)]
    [InlineData("3h", 3 * TimeSpan.TicksPerHour)]
    [InlineData("1 hour", TimeSpan.TicksPerHour)]
    [InlineData("4d", 4 * TimeSpan.TicksPerDay)]
    [InlineData("1 day", TimeSpan.TicksPerDay)]
    [InlineData("-1s", -TimeSpan.TicksPerSecond)]
    [InlineData("\" 5 s \"", 5 * TimeSpan.TicksPerSecond)]
    public void Durations_accept_every_spec_unit(string value, long ticks) => Assert.Equal(TimeSpan.FromTicks(ticks), Duration(value));

    [Fact]
    public void Infinite_duration_is_the_infinite_timespan() => Assert.Equal(Timeout.InfiniteTimeSpan, Duration("infinite"));

    [Theory]
    [InlineData("5 S")]
    [InlineData("5 weeks")]
    [InlineData("soon")]
    [InlineData("999999999999999 d")]
    [InlineData("[1]")]
    public void Bad_durations_name_the_problem(string value)
    {
        var e = Assert.Throws<ConfigException>(() => Duration(value));
        Assert.Contains("x: expected a duration", e.Message);
    }

    [Theory]
    [InlineData("512", 512)]
    [InlineData("10B", 10)]
    [InlineData("10 bytes", 10)]
    [InlineData("1kB", 1000)]
    [InlineData("1 kilobyte", 1000)]
    [InlineData("2MB", 2_000_000)]
    [InlineData("1GB", 1_000_000_000)]
    [InlineData("1TB", 1_000_000_000_000)]
    [InlineData("1PB", 1_000_000_000_000_000)]
    [InlineData("1EB", 1_000_000_000_000_000_000)]
    [InlineData("1K", 1024)]
    [InlineData("1k", 1024)]
    [InlineData("1Ki", 1024)]
    [InlineData("1KiB", 1024)]
    [InlineData("1 kibibyte", 1024)]
    [InlineData("1M", 1 << 20)]
    [InlineData("1m", 1 << 20)]
    [InlineData("1MiB", 1 << 20)]
    [InlineData("0.5M", 1 << 19)]
    [InlineData("1G", 1L << 30)]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("1T", 1L << 40)]
    [InlineData("1P", 1L << 50)]
    [InlineData("1E", 1L << 60)]
    public void Byte_sizes_accept_si_and_iec_units(string value, long expected) => Assert.Equal(expected, Bytes(value));

    [Theory]
    [InlineData("1YB")]
    [InlineData("1 ZiB")]
    [InlineData("5 KB")]
    [InlineData("lots")]
    public void Bad_or_too_large_byte_sizes_are_errors(string value) =>
        Assert.Contains("expected a size in bytes", Assert.Throws<ConfigException>(() => Bytes(value)).Message);
}

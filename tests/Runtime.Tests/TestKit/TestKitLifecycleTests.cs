using ActorTasks.Actor;
using ActorTasks.Testing;
using Serilog.Events;
using Serilog.Parsing;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tests.TestKitTests;

public sealed class TestKitLifecycleTests(ITestOutputHelper output) : TestKit(output)
{
    /// <summary>A kit made by hand, so a test can watch it start and end.</summary>
    private sealed class StandaloneKit(ITestOutputHelper? output = null) : TestKit(output);

    private sealed class Generic<T>(ITestOutputHelper? output = null) : TestKit(output);

    [Fact]
    public void The_system_is_named_after_the_test_class()
    {
        Assert.Equal(nameof(TestKitLifecycleTests), Sys.Name);
    }

    [Fact]
    public void A_generic_test_class_name_becomes_a_valid_system_name()
    {
        using var kit = new Generic<int>();

        Assert.Equal("Generic-1", kit.Sys.Name);
    }

    [Fact]
    public void The_test_actor_lives_under_system()
    {
        Assert.Equal("/system/testActor", TestActor.Path.ToStringWithoutAddress());
    }

    [Fact]
    public void Dispose_terminates_the_system()
    {
        var kit = new StandaloneKit();

        kit.Dispose();

        Assert.True(kit.Sys.WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task DisposeAsync_terminates_the_system_and_a_later_Dispose_does_nothing_more()
    {
        var kit = new StandaloneKit();

        await kit.DisposeAsync();
        kit.Dispose();

        Assert.True(kit.Sys.WhenTerminated.IsCompleted);
    }

    [Fact]
    public void The_systems_logs_go_to_the_test_output_with_level_and_actor_path()
    {
        var recording = new RecordingOutput();
        using var kit = new StandaloneKit(recording);
        var actor = kit.Sys.ActorOf(Props.Create<FailingActor>(), "noisy");

        kit.EventFilter.Warning().Expect(() => actor.Tell(7, Nobody.Instance));

        Assert.Contains(recording.Lines, l => l.Contains("[WRN] ") && l.Contains(actor.Path + ": warning number 7"));
    }

    [Fact]
    public void Log_lines_after_the_test_has_ended_are_dropped_without_an_exception()
    {
        var recording = new RecordingOutput { TestHasEnded = true };
        var sink = new XunitLogSink(recording);

        sink.Emit(new LogEvent(DateTimeOffset.Now, LogEventLevel.Warning, null, new MessageTemplateParser().Parse("late"), []));

        Assert.Empty(recording.Lines);
    }

    [Fact]
    public void Shutdown_can_verify_that_another_system_terminated()
    {
        var other = ActorSystem.Create("other");

        Shutdown(other, TimeSpan.FromSeconds(5), verifySystemShutdown: true);

        Assert.True(other.WhenTerminated.IsCompleted);
    }
}

public sealed class TestKitSettingsTests
{
    [Theory]
    [InlineData(null, 1.0)]
    [InlineData("", 1.0)]
    [InlineData("2", 2.0)]
    [InlineData("1.5", 1.5)]
    public void The_time_factor_comes_from_the_environment_value(string? value, double expected)
    {
        Assert.Equal(expected, TestKitSettings.FromTimeFactor(value).TimeFactor);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("NaN")]
    [InlineData("1,5")]
    public void An_invalid_time_factor_is_rejected_naming_the_variable_and_the_value(string value)
    {
        var e = Assert.Throws<InvalidOperationException>(() => TestKitSettings.FromTimeFactor(value));

        Assert.Equal(
            $"environment variable ACTORTASKS_TEST_TIMEFACTOR='{value}' is not a valid time factor: expected a positive number such as 1.5 or 3",
            e.Message);
    }

    [Fact]
    public void Dilated_multiplies_by_the_time_factor_and_keeps_infinite_infinite()
    {
        var settings = new TestKitSettings { TimeFactor = 2.5 };

        Assert.Equal(TimeSpan.FromSeconds(5), settings.Dilated(TimeSpan.FromSeconds(2)));
        Assert.Equal(Timeout.InfiniteTimeSpan, settings.Dilated(Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void The_defaults_are_a_3_second_timeout_and_a_100_ms_silence()
    {
        var settings = new TestKitSettings();

        Assert.Equal(TimeSpan.FromSeconds(3), settings.DefaultTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), settings.DefaultNoMessageDuration);
    }
}

using ActorTasks.Actor;
using ActorTasks.Configuration;
using ActorTasks.Hocon;
using Serilog.Events;
using Xunit;

namespace ActorTasks.Tests.Configuration;

public sealed class RuntimeSettingsTests
{
    [Fact]
    public void Reference_conf_gives_the_documented_defaults()
    {
        var settings = RuntimeSettings.Create(ReferenceConfig.Load());
        Assert.Equal(RuntimeSettings.Default, settings);
    }

    [Fact]
    public void Reads_every_runtime_setting()
    {
        var config = ConfigFactory.ParseString("""
            actortasks.actor {
              throughput = 7, ask-timeout = 250ms, mailbox-capacity = 100, log-unhandled = off
              dead-letters { log = off, log-max-per-interval = 3, log-interval = 1m }
            }
            actortasks.log.level = warning
            """).WithFallback(ReferenceConfig.Load());
        var s = RuntimeSettings.Create(config);
        Assert.Equal(7, s.Throughput);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.AskTimeout);
        Assert.Equal(100, s.MailboxCapacity);
        Assert.False(s.LogUnhandled);
        Assert.False(s.LogDeadLetters);
        Assert.Equal(3, s.DeadLetterLogMaxPerInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), s.DeadLetterLogInterval);
        Assert.Equal(LogEventLevel.Warning, s.LogLevel);
    }

    [Theory]
    [InlineData("actortasks.actor.throughput = 0", "actortasks.actor.throughput: must be at least 1 but is 0")]
    [InlineData("actortasks.actor.ask-timeout = -1s", "actortasks.actor.ask-timeout: must be positive")]
    [InlineData("actortasks.actor.mailbox-capacity = -5", "actortasks.actor.mailbox-capacity: must not be negative but is -5")]
    [InlineData("actortasks.log.level = loud", "actortasks.log.level: expected verbose, debug, info, warning, error or fatal but found 'loud'")]
    [InlineData("actortasks.actor.provider = carrier-pigeon", "expected local, remote or cluster but found 'carrier-pigeon'")]
    public void An_invalid_value_names_the_key_and_where_it_was_set(string text, string expected)
    {
        var config = ConfigFactory.ParseString("\n" + text, "node.conf").WithFallback(ReferenceConfig.Load());
        var e = Assert.Throws<ConfigException>(() => RuntimeSettings.Create(config));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("node.conf:2", e.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_key_the_types_and_the_place()
    {
        var config = ConfigFactory.ParseString("actortasks.actor.throughput = lots", "node.conf");
        var e = Assert.Throws<ConfigException>(() => RuntimeSettings.Create(config));
        Assert.Contains("node.conf:1", e.Message);
        Assert.Contains("actortasks.actor.throughput", e.Message);
        Assert.Contains("expected an int", e.Message);
    }

    [Fact]
    public async Task ActorSystem_Create_with_config_uses_it_over_reference_conf()
    {
        var system = ActorSystem.Create("configured", ConfigFactory.ParseString("actortasks.actor.throughput = 5"));
        try
        {
            Assert.Equal(5, system.Settings.Throughput);
            Assert.Equal(TimeSpan.FromSeconds(10), system.Settings.AskTimeout); // from reference.conf
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}

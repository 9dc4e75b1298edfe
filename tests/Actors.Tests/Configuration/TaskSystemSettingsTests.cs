using ActorTasks.Tasks.Configuration;
using Akka.Configuration;
using Xunit;

namespace ActorTasks.Tasks.Tests.Configuration;

public sealed class TaskSystemSettingsTests
{
    [Fact]
    public void Reference_conf_gives_the_same_defaults_as_the_record()
    {
        var fromConfig = TaskSystemSettings.Create(TaskSystemConfig.Reference);
        Assert.Empty(fromConfig.Resources);
        Assert.Equal(TaskSystemSettings.Default, fromConfig with { Resources = TaskSystemSettings.Default.Resources });
    }

    [Fact]
    public void Every_key_is_read()
    {
        var config = ConfigurationFactory.ParseString("""
            actortasks.tasks {
              consumers-per-node = 5
              prefetch = 32
              prefetch-time = 1s
              result-batch-time = 5ms
              max-retries = 7
              retry-backoff-min = 1s
              retry-backoff-max = 1m
              progress-interval = 2s
              failures-kept = 3
              finished-jobs-kept = 4
              resource-acquire-timeout = infinite
              resources { disk = 2, "gpu.big" = 1 }
              journal = "data/jobs.db"
            }
            """);

        var s = TaskSystemSettings.Create(config);

        Assert.Equal((5, 32, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(5), 7),
            (s.ConsumersPerNode, s.Prefetch, s.PrefetchTime, s.ResultBatchTime, s.MaxRetries));
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(2), 3, 4, Timeout.InfiniteTimeSpan),
            (s.RetryBackoffMin, s.RetryBackoffMax, s.ProgressInterval, s.FailuresKept, s.FinishedJobsKept, s.ResourceAcquireTimeout));
        Assert.Equal(new Dictionary<string, int> { ["disk"] = 2, ["gpu.big"] = 1 }, s.Resources);
        Assert.Equal("data/jobs.db", s.Journal);
    }

    [Fact]
    public void A_blank_journal_is_no_journal_rather_than_a_file_named_blank()
    {
        var config = ConfigurationFactory.ParseString("actortasks.tasks.journal = \"   \"");
        Assert.Null(TaskSystemSettings.Create(config).Journal);
    }

    // Akka's HOCON keeps no origins, so the setting is named by its key; the node adds the file it read.
    [Theory]
    [InlineData("prefetch = 0", "actortasks.tasks.prefetch", "must be at least 1 but is 0")]
    [InlineData("prefetch = many", "actortasks.tasks.prefetch", "expected a whole number, got \"many\"")]
    [InlineData("prefetch = [1, 2]", "actortasks.tasks.prefetch", "expected a whole number, got a list")]
    [InlineData("consumers-per-node = -1", "actortasks.tasks.consumers-per-node", "must not be negative")]
    [InlineData("max-retries = 2.5", "actortasks.tasks.max-retries", "expected a whole number, got \"2.5\"")]
    [InlineData("retry-backoff-min = 2s\n  retry-backoff-max = 1s", "actortasks.tasks.retry-backoff-max", "must be at least retry-backoff-min")]
    [InlineData("progress-interval = soon", "actortasks.tasks.progress-interval", "expected a duration such as 250ms or 10s, got \"soon\"")]
    [InlineData("retry-backoff-min { ms = 5 }", "actortasks.tasks.retry-backoff-min", "expected a duration such as 250ms or 10s, got an object")]
    [InlineData("max-result-bytes = lots", "actortasks.tasks.max-result-bytes", "expected a size such as 3 MiB or 128000b, got \"lots\"")]
    [InlineData("max-result-bytes = [3 MiB]", "actortasks.tasks.max-result-bytes", "expected a size such as 3 MiB or 128000b, got a list")]
    [InlineData("resources { disk = 0 }", "actortasks.tasks.resources.disk", "must be at least 1 permit")]
    [InlineData("resources { disk = plenty }", "actortasks.tasks.resources.disk", "expected a whole number of permits, got \"plenty\"")]
    [InlineData("resources { disk { permits = 2 } }", "actortasks.tasks.resources.disk", "expected a whole number of permits, got an object or list")]
    [InlineData("resources = 3", "actortasks.tasks.resources", "expected an object")]
    public void A_bad_value_is_refused_naming_the_key_and_quoting_the_value(string body, string key, string problem)
    {
        var config = ConfigurationFactory.ParseString($"actortasks.tasks {{\n  {body}\n}}");

        var error = Assert.Throws<SettingsException>(() => TaskSystemSettings.Create(config));

        Assert.Equal(key, error.Key);
        Assert.Contains(problem, error.Problem);
        Assert.StartsWith($"{key}: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Zero_consumers_per_node_means_one_per_core()
    {
        Assert.Equal(Environment.ProcessorCount, TaskSystemSettings.Default.EffectiveConsumersPerNode);
        Assert.Equal(3, (TaskSystemSettings.Default with { ConsumersPerNode = 3 }).EffectiveConsumersPerNode);
    }

    [Fact]
    public void The_retry_delay_starts_at_the_minimum_and_doubles_up_to_the_maximum()
    {
        var s = TaskSystemSettings.Default with { RetryBackoffMin = TimeSpan.FromMilliseconds(100), RetryBackoffMax = TimeSpan.FromMilliseconds(700) };
        Assert.Equal([100, 200, 400, 700, 700], new[] { 2, 3, 4, 5, 60 }.Select(a => s.RetryDelay(a).TotalMilliseconds));
    }

    [Fact]
    public void A_zero_minimum_backoff_retries_at_once_every_time()
    {
        var s = TaskSystemSettings.Default with { RetryBackoffMin = TimeSpan.Zero, RetryBackoffMax = TimeSpan.FromSeconds(10) };
        Assert.All(new[] { 2, 3, 4, 30, 64, 1_000 }, a => Assert.Equal(TimeSpan.Zero, s.RetryDelay(a)));
        Assert.Equal(TimeSpan.Zero, TaskSystemSettings.Create(ConfigurationFactory.ParseString("actortasks.tasks.retry-backoff-min = 0s")).RetryDelay(2));
    }

    [Fact]
    public void A_large_minimum_doubled_many_times_caps_at_the_maximum_instead_of_wrapping_around()
    {
        var s = TaskSystemSettings.Default with { RetryBackoffMin = TimeSpan.FromDays(1), RetryBackoffMax = TimeSpan.FromDays(2) };
        Assert.All(new[] { 3, 30, 40, 63, 64, 100, int.MaxValue }, a => Assert.Equal(TimeSpan.FromDays(2), s.RetryDelay(a)));
    }

    [Fact]
    public void The_start_timeout_is_read_and_must_not_be_negative()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), TaskSystemSettings.Default.StartTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), TaskSystemSettings.Create(ConfigurationFactory.ParseString("actortasks.tasks.start-timeout = 1500ms")).StartTimeout);
        Assert.Equal(TimeSpan.Zero, TaskSystemSettings.Create(ConfigurationFactory.ParseString("actortasks.tasks.start-timeout = 0s")).StartTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => (TaskSystemSettings.Default with { StartTimeout = TimeSpan.FromSeconds(-1) }).Validate());
    }
}

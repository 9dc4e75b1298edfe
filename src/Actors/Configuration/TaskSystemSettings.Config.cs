using Akka.Configuration;

namespace ActorTasks.Tasks.Configuration;

public sealed partial record TaskSystemSettings
{
    private const string Prefix = "actortasks.tasks.";

    /// <summary>
    /// Reads <c>actortasks.tasks.*</c>; a missing key keeps its default, a value of the wrong type or out of range
    /// throws <see cref="SettingsException"/> naming the key.
    /// </summary>
    public static TaskSystemSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var d = Default;
        var settings = new TaskSystemSettings
        {
            ConsumersPerNode = SettingReader.Int(config, Prefix + "consumers-per-node", d.ConsumersPerNode),
            Prefetch = SettingReader.Int(config, Prefix + "prefetch", d.Prefetch),
            PrefetchTime = SettingReader.Duration(config, Prefix + "prefetch-time", d.PrefetchTime),
            ResultBatchTime = SettingReader.Duration(config, Prefix + "result-batch-time", d.ResultBatchTime),
            MaxResultBytes = SettingReader.Bytes(config, Prefix + "max-result-bytes", d.MaxResultBytes),
            MaxRetries = SettingReader.Int(config, Prefix + "max-retries", d.MaxRetries),
            RetryBackoffMin = SettingReader.Duration(config, Prefix + "retry-backoff-min", d.RetryBackoffMin),
            RetryBackoffMax = SettingReader.Duration(config, Prefix + "retry-backoff-max", d.RetryBackoffMax),
            ProgressInterval = SettingReader.Duration(config, Prefix + "progress-interval", d.ProgressInterval),
            FailuresKept = SettingReader.Int(config, Prefix + "failures-kept", d.FailuresKept),
            FinishedJobsKept = SettingReader.Int(config, Prefix + "finished-jobs-kept", d.FinishedJobsKept),
            Journal = NonBlank(SettingReader.String(config, Prefix + "journal", null)),
            JournalPostgreSql = NonBlank(SettingReader.String(config, Prefix + "journal-postgresql", null)),
            SnapshotEvery = SettingReader.Int(config, Prefix + "snapshot-every", d.SnapshotEvery),
            StartTimeout = SettingReader.Duration(config, Prefix + "start-timeout", d.StartTimeout),
            ResourceAcquireTimeout = SettingReader.Duration(config, Prefix + "resource-acquire-timeout", d.ResourceAcquireTimeout),
            Resources = ReadResources(config),
        };
        settings = settings with { Durable = settings.Journal is not null || settings.JournalPostgreSql is not null };
        foreach (var (key, problem) in settings.Problems())
            throw new SettingsException(key, problem);
        return settings;
    }

    private static string? NonBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static Dictionary<string, int> ReadResources(Config config)
    {
        var resources = new Dictionary<string, int>(StringComparer.Ordinal);
        const string path = Prefix + "resources";
        if (!config.HasPath(path)) return resources;
        var value = config.GetValue(path);
        if (!value.IsObject())
            throw new SettingsException(path, "expected an object of resource names and permits, e.g. resources { disk = 2 }");
        foreach (var (name, permits) in value.GetObject().Items)
        {
            var text = permits.IsString() ? permits.GetString()?.Trim() : null;
            if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n))
                throw new SettingsException($"{path}.{name}", $"expected a whole number of permits, got {(text is null ? "an object or list" : $"\"{text}\"")}");
            resources[name] = n;
        }
        return resources;
    }
}

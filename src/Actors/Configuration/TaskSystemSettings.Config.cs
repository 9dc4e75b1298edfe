using ActorTasks.Hocon;

namespace ActorTasks.Tasks.Configuration;

public sealed partial record TaskSystemSettings
{
    private const string Prefix = "actortasks.tasks.";

    /// <summary>
    /// Reads <c>actortasks.tasks.*</c>; a missing key keeps its default, a value of the wrong type or out of range
    /// throws <see cref="ConfigException"/> naming the key and where it was set.
    /// </summary>
    public static TaskSystemSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var d = Default;
        var settings = new TaskSystemSettings
        {
            ConsumersPerNode = config.GetInt(Prefix + "consumers-per-node", d.ConsumersPerNode),
            Prefetch = config.GetInt(Prefix + "prefetch", d.Prefetch),
            PrefetchTime = config.GetTimeSpan(Prefix + "prefetch-time", d.PrefetchTime),
            ResultBatchTime = config.GetTimeSpan(Prefix + "result-batch-time", d.ResultBatchTime),
            MaxResultBytes = config.GetByteSize(Prefix + "max-result-bytes", d.MaxResultBytes),
            MaxRetries = config.GetInt(Prefix + "max-retries", d.MaxRetries),
            RetryBackoffMin = config.GetTimeSpan(Prefix + "retry-backoff-min", d.RetryBackoffMin),
            RetryBackoffMax = config.GetTimeSpan(Prefix + "retry-backoff-max", d.RetryBackoffMax),
            ProgressInterval = config.GetTimeSpan(Prefix + "progress-interval", d.ProgressInterval),
            FailuresKept = config.GetInt(Prefix + "failures-kept", d.FailuresKept),
            FinishedJobsKept = config.GetInt(Prefix + "finished-jobs-kept", d.FinishedJobsKept),
            Journal = config.GetString(Prefix + "journal", "") is var journal && !string.IsNullOrWhiteSpace(journal) ? journal : null,
            ResourceAcquireTimeout = config.GetTimeSpan(Prefix + "resource-acquire-timeout", d.ResourceAcquireTimeout),
            Resources = ReadResources(config),
        };
        foreach (var (key, problem) in settings.Problems())
            throw Invalid(config, key, problem);
        return settings;
    }

    private static Dictionary<string, int> ReadResources(Config config)
    {
        var resources = new Dictionary<string, int>(StringComparer.Ordinal);
        const string path = Prefix + "resources";
        if (!config.HasPath(path)) return resources;
        if (config.GetValue(path) is not ConfigObject)
            throw Invalid(config, path, "expected an object of resource names and permits, e.g. resources { disk = 2 }");
        foreach (var (name, _) in config.GetConfig(path).Root)
            resources[name] = config.GetInt(ConfigPathOf(path, name));
        return resources;
    }

    // A resource name may contain dots or other characters a path would split on; quote it.
    private static string ConfigPathOf(string parent, string key) => $"{parent}.\"{key.Replace("\"", "\\\"")}\"";

    private static ConfigException Invalid(Config config, string path, string problem)
    {
        ConfigValue? value = null;
        try
        {
            value = config.GetValueOrNull(path);
        }
        catch (ConfigException)
        {
            // The key is not a valid path (a resource name from the file): report without a place.
        }
        return new ConfigException($"{path}: {problem}", value?.Origin, path);
    }
}

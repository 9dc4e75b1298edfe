using ActorTasks.Actor;
using ActorTasks.Hocon;
using Serilog.Events;

namespace ActorTasks.Configuration;

public sealed partial record RuntimeSettings
{
    /// <summary>
    /// Reads <c>actortasks.actor.*</c> and <c>actortasks.log.*</c>; a missing key keeps its default, a value of the
    /// wrong type or out of range throws <see cref="ConfigException"/> naming the key and where it was set.
    /// </summary>
    public static RuntimeSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var d = Default;
        var settings = new RuntimeSettings
        {
            Provider = config.GetString("actortasks.actor.provider", d.Provider),
            Throughput = config.GetInt("actortasks.actor.throughput", d.Throughput),
            AskTimeout = config.GetTimeSpan("actortasks.actor.ask-timeout", d.AskTimeout),
            MailboxCapacity = config.GetInt("actortasks.actor.mailbox-capacity", d.MailboxCapacity),
            LogDeadLetters = config.GetBoolean("actortasks.actor.dead-letters.log", d.LogDeadLetters),
            DeadLetterLogMaxPerInterval = config.GetInt("actortasks.actor.dead-letters.log-max-per-interval", d.DeadLetterLogMaxPerInterval),
            DeadLetterLogInterval = config.GetTimeSpan("actortasks.actor.dead-letters.log-interval", d.DeadLetterLogInterval),
            LogUnhandled = config.GetBoolean("actortasks.actor.log-unhandled", d.LogUnhandled),
            LogLevel = ParseLevel(config, "actortasks.log.level", d.LogLevel),
            Deployments = ParseDeployments(config),
        };
        if (settings.Provider is not ("local" or "remote" or "cluster"))
            throw Invalid(config, "actortasks.actor.provider", $"expected local, remote or cluster but found '{settings.Provider}'");
        foreach (var (key, problem) in settings.Problems())
            throw Invalid(config, key, problem);
        return settings;
    }

    // actortasks.actor.deployment."/workers".remote = "actortasks://sys@host:4053": keys are paths under /user.
    private static IReadOnlyDictionary<string, Deploy> ParseDeployments(Config config)
    {
        const string section = "actortasks.actor.deployment";
        if (!config.HasPath(section)) return Default.Deployments;
        var deployments = new Dictionary<string, Deploy>(StringComparer.Ordinal);
        foreach (var key in config.GetConfig(section).Root.Keys)
        {
            var entry = $"{section}.\"{key}\"";
            if (!key.StartsWith('/') || key.Length == 1 || key.EndsWith('/'))
                throw Invalid(config, entry, $"a deployment key is an actor path under /user such as \"/workers\", not '{key}'");
            var remote = $"{entry}.remote";
            if (!config.HasPath(remote)) continue;
            var text = config.GetString(remote);
            if (!Address.TryParse(text, out var address, out var error) || address.Host is null || address.Port is null)
                throw Invalid(config, remote, $"expected an address such as actortasks://sys@127.0.0.1:4053 but found '{text}'{(error is { Length: > 0 } ? $" ({error})" : "")}");
            deployments[key] = Deploy.Remote(address);
        }
        return deployments.Count == 0 ? Default.Deployments : deployments;
    }

    private static LogEventLevel ParseLevel(Config config, string path, LogEventLevel fallback)
    {
        if (!config.HasPath(path)) return fallback;
        return config.GetString(path).Trim().ToLowerInvariant() switch
        {
            "verbose" or "trace" => LogEventLevel.Verbose,
            "debug" => LogEventLevel.Debug,
            "info" or "information" => LogEventLevel.Information,
            "warning" or "warn" => LogEventLevel.Warning,
            "error" => LogEventLevel.Error,
            "fatal" => LogEventLevel.Fatal,
            var other => throw Invalid(config, path, $"expected verbose, debug, info, warning, error or fatal but found '{other}'"),
        };
    }

    private static ConfigException Invalid(Config config, string path, string message) =>
        new($"{path}: {message}", config.GetValueOrNull(path)?.Origin, path);
}

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
        };
        if (settings.Provider is not ("local" or "remote" or "cluster"))
            throw Invalid(config, "actortasks.actor.provider", $"expected local, remote or cluster but found '{settings.Provider}'");
        foreach (var (key, problem) in settings.Problems())
            throw Invalid(config, key, problem);
        return settings;
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

using ActorTasks.Actor;
using Serilog.Events;

namespace ActorTasks.Configuration;

/// <summary>The runtime's settings (<c>actortasks.actor.*</c> and <c>actortasks.log.*</c>), read once when a system starts.</summary>
public sealed partial record RuntimeSettings
{
    public static readonly RuntimeSettings Default = new();

    /// <summary>Actor-ref provider: <c>local</c>, <c>remote</c> or <c>cluster</c>.</summary>
    public string Provider { get; init; } = "local";

    /// <summary>Messages an actor handles per mailbox run before it yields the thread.</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>Timeout of an Ask that names none.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>0 for unbounded mailboxes; otherwise their capacity (overflow goes to dead letters).</summary>
    public int MailboxCapacity { get; init; }

    public bool LogDeadLetters { get; init; } = true;

    public int DeadLetterLogMaxPerInterval { get; init; } = 10;

    public TimeSpan DeadLetterLogInterval { get; init; } = TimeSpan.FromSeconds(10);

    public bool LogUnhandled { get; init; } = true;

    /// <summary>Minimum level of the system's log events (the host chooses the sinks).</summary>
    public LogEventLevel LogLevel { get; init; } = LogEventLevel.Information;

    /// <summary>Deployments configured under <c>actortasks.actor.deployment</c>, by path under <c>/user</c> (e.g. <c>/workers</c>).</summary>
    public IReadOnlyDictionary<string, Deploy> Deployments { get; init; } = new Dictionary<string, Deploy>();

    /// <summary>The configured deployment of the actor at <paramref name="path"/>, or null when none is configured.</summary>
    public Deploy? DeploymentFor(ActorPath path)
    {
        if (Deployments.Count == 0 || path.Elements is not ["user", _, ..]) return null;
        return Deployments.GetValueOrDefault("/" + string.Join('/', path.Elements.Skip(1)));
    }

    /// <summary>Checks ranges; throws <see cref="ArgumentOutOfRangeException"/> naming the setting.</summary>
    public RuntimeSettings Validate()
    {
        foreach (var (key, problem) in Problems())
            throw new ArgumentOutOfRangeException(key, $"{key} {problem}");
        return this;
    }

    /// <summary>Each out-of-range setting, by its configuration key.</summary>
    internal IEnumerable<(string Key, string Problem)> Problems()
    {
        if (Throughput < 1) yield return ("actortasks.actor.throughput", $"must be at least 1 but is {Throughput}");
        if (AskTimeout <= TimeSpan.Zero && AskTimeout != Timeout.InfiniteTimeSpan)
            yield return ("actortasks.actor.ask-timeout", $"must be positive but is {AskTimeout}");
        if (MailboxCapacity < 0) yield return ("actortasks.actor.mailbox-capacity", $"must not be negative but is {MailboxCapacity}");
        if (DeadLetterLogMaxPerInterval < 0)
            yield return ("actortasks.actor.dead-letters.log-max-per-interval", $"must not be negative but is {DeadLetterLogMaxPerInterval}");
        if (DeadLetterLogInterval <= TimeSpan.Zero)
            yield return ("actortasks.actor.dead-letters.log-interval", $"must be positive but is {DeadLetterLogInterval}");
    }
}

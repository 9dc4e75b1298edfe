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

    /// <summary>Checks ranges; the message names the setting.</summary>
    public RuntimeSettings Validate()
    {
        if (Throughput < 1) throw new ArgumentOutOfRangeException(nameof(Throughput), Throughput, "actortasks.actor.throughput must be at least 1");
        if (AskTimeout <= TimeSpan.Zero && AskTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(AskTimeout), AskTimeout, "actortasks.actor.ask-timeout must be positive");
        if (MailboxCapacity < 0) throw new ArgumentOutOfRangeException(nameof(MailboxCapacity), MailboxCapacity, "actortasks.actor.mailbox-capacity must not be negative");
        if (DeadLetterLogMaxPerInterval < 0)
            throw new ArgumentOutOfRangeException(nameof(DeadLetterLogMaxPerInterval), DeadLetterLogMaxPerInterval, "actortasks.actor.dead-letters.log-max-per-interval must not be negative");
        if (DeadLetterLogInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(DeadLetterLogInterval), DeadLetterLogInterval, "actortasks.actor.dead-letters.log-interval must be positive");
        return this;
    }
}

using System.Diagnostics;

namespace ActorTasks.Actor;

/// <summary>What a supervisor does with a failed child.</summary>
public enum Directive
{
    /// <summary>Keep the actor and its state; drop the failing message.</summary>
    Resume,

    /// <summary>Replace the actor with a fresh instance; its mailbox is kept.</summary>
    Restart,

    /// <summary>Stop the actor.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception.</summary>
    Escalate,
}

/// <summary>Maps a failure to a directive.</summary>
public delegate Directive Decider(Exception cause);

/// <summary>How a parent treats its children's failures. Restart counts are kept per child.</summary>
public abstract class SupervisorStrategy
{
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Decider decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
    }

    /// <summary>Restarts allowed within <see cref="WithinTimeRange"/>; negative means no limit. Past the limit the child is stopped.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>The window the retry limit counts in; <see cref="Timeout.InfiniteTimeSpan"/> counts forever.</summary>
    public TimeSpan WithinTimeRange { get; }

    public Decider Decider { get; }

    /// <summary>Whether failures are logged (error for restart and stop, warning for resume).</summary>
    public bool LoggingEnabled { get; init; } = true;

    /// <summary>True when one child's failure applies to all its siblings.</summary>
    public abstract bool AppliesToAll { get; }

    /// <summary>Restarts on any exception except initialization failures, kills and death pacts, which stop.</summary>
    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>One-for-one, unlimited restarts, <see cref="DefaultDecider"/>.</summary>
    public static readonly SupervisorStrategy Default = new OneForOneStrategy(DefaultDecider);

    /// <summary>Stops any child that fails.</summary>
    public static readonly SupervisorStrategy StoppingStrategy = new OneForOneStrategy(_ => Directive.Stop);

    internal bool RequestRestartPermission(ChildRestartStats stats)
    {
        if (MaxNrOfRetries < 0) return true;
        if (MaxNrOfRetries == 0) return false;
        var now = Stopwatch.GetTimestamp();
        if (WithinTimeRange == Timeout.InfiniteTimeSpan || WithinTimeRange <= TimeSpan.Zero)
            return ++stats.RestartCount <= MaxNrOfRetries;
        if (stats.RestartCount == 0 || Stopwatch.GetElapsedTime(stats.WindowStart, now) > WithinTimeRange)
        {
            stats.WindowStart = now;
            stats.RestartCount = 1;
            return true;
        }
        return ++stats.RestartCount <= MaxNrOfRetries;
    }
}

/// <summary>Applies the directive to the failed child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    public OneForOneStrategy(Decider decider) : this(-1, Timeout.InfiniteTimeSpan, decider) { }

    public OneForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Decider decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    public override bool AppliesToAll => false;
}

/// <summary>Applies the directive to the failed child and all its siblings.</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    public AllForOneStrategy(Decider decider) : this(-1, Timeout.InfiniteTimeSpan, decider) { }

    public AllForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Decider decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    public override bool AppliesToAll => true;
}

/// <summary>A parent's record of one child: its ref and its restart count in the current window.</summary>
internal sealed class ChildRestartStats(IInternalActorRef child)
{
    // A LocalActorRef, or a remote ref for a child deployed on another node.
    public IInternalActorRef Child { get; } = child;
    public int RestartCount;
    public long WindowStart;
}

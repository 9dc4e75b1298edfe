using ActorTasks.Messages;

namespace ActorTasks.Node.Commands;

/// <summary>
/// How every command that talks to a seed exits: ok (0), a failed job or an unreachable seed (1), bad arguments (2),
/// a cancelled job (3), a job completed with failed tasks (4), left with Ctrl+C (130).
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0, Failed = 1, BadArguments = 2, Cancelled = 3, CompletedWithFailures = 4, Interrupted = 130;

    /// <summary>How a command that followed or looked up a job exits for a job in <paramref name="state"/> (a running one: 0).</summary>
    public static int For(JobState state) => state switch
    {
        JobState.Running or JobState.Completed => Ok,
        JobState.CompletedWithFailures => CompletedWithFailures,
        JobState.Cancelled => Cancelled,
        _ => Failed,
    };
}

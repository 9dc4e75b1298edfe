using System.Text;

namespace ActorTasks.Tasks.Jobs;

/// <summary>Bounds on what a job may carry, so that its messages always fit Akka.Remote's frame (4 MiB by default).</summary>
public static class JobLimits
{
    /// <summary>The most UTF-8 bytes a job's arguments may hold in all: they travel to every node in <c>JobStarted</c>.</summary>
    public const long MaxArgumentBytes = 256 * 1024;

    /// <summary>The UTF-8 bytes of <paramref name="arguments"/>.</summary>
    public static long ArgumentBytes(IReadOnlyList<string> arguments) => arguments.Sum(a => (long)Encoding.UTF8.GetByteCount(a ?? ""));
}

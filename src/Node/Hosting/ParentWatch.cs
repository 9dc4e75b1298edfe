using System.Diagnostics;

namespace ActorTasks.Node.Hosting;

/// <summary>
/// Lets a node started by another process (the demo) end when that process ends — also when it is killed with
/// kill -9 and cannot stop its children — so no stray node outlives its launcher.
/// </summary>
public static class ParentWatch
{
    /// <summary>Completes when process <paramref name="parentPid"/> has exited (at once if it is already gone).</summary>
    public static async Task WhenExitedAsync(int parentPid, CancellationToken cancellationToken)
    {
        Process parent;
        try
        {
            parent = Process.GetProcessById(parentPid);
        }
        catch (ArgumentException)
        {
            return; // already gone
        }
        using (parent)
        {
            try
            {
                await parent.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Not our child, so the runtime cannot wait on it directly: poll for its disappearance instead.
                while (!cancellationToken.IsCancellationRequested && IsAlive(parentPid))
                    await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

using System.Diagnostics;

namespace ActorTasks.Node.Tests.Support;

/// <summary>Waits for a process that is not a child of this one (e.g. a node the demo started) to end.</summary>
internal static class ProcessExit
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>True when process <paramref name="pid"/> is gone, or has exited and only waits to be reaped (a zombie).</summary>
    public static bool HasEnded(int pid)
    {
        if (Directory.Exists("/proc"))
        {
            try
            {
                // The state is the field after the command name, which is in parentheses and may itself hold spaces.
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart()[0];
                return state is 'Z' or 'X';
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return true;
            }
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>Completes once <paramref name="pid"/> has ended; throws <see cref="TimeoutException"/> if it has not within <paramref name="timeout"/>.</summary>
    /// <remarks>Another process's end raises no event here, so this polls, with a deadline.</remarks>
    public static async Task WaitAsync(int pid, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!HasEnded(pid))
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"process {pid} was still running {timeout.TotalSeconds:0} s later");
            await Task.Delay(PollInterval);
        }
    }
}

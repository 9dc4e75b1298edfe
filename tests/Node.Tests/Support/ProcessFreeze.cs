using System.Runtime.InteropServices;

namespace ActorTasks.Node.Tests.Support;

/// <summary>Freezes another process (SIGSTOP), so that to its peers it is a node that has hung.</summary>
internal static partial class ProcessFreeze
{
    // Linux's number; other systems number it differently.
    private const int Sigstop = 19;

    /// <summary>Stops <paramref name="pid"/> where it is: it runs no code and answers nothing until SIGCONT or SIGKILL.</summary>
    public static void Freeze(int pid)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("freezing a process is done with Linux's signal number");
        if (Kill(pid, Sigstop) != 0) throw new InvalidOperationException($"kill({pid}, SIGSTOP) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

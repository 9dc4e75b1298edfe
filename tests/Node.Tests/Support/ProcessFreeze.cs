using System.Runtime.InteropServices;

namespace ActorTasks.Node.Tests.Support;

/// <summary>Freezes another process and lets it go on (SIGSTOP, SIGCONT), as a hung node would behave to its peers.</summary>
internal static partial class ProcessFreeze
{
    // Linux's numbers; other systems number these two differently.
    private const int Sigcont = 18, Sigstop = 19;

    /// <summary>Stops <paramref name="pid"/> where it is: it runs no code and answers nothing until <see cref="Thaw"/>.</summary>
    public static void Freeze(int pid) => Send(pid, Sigstop);

    /// <summary>Lets a frozen <paramref name="pid"/> run on.</summary>
    public static void Thaw(int pid) => Send(pid, Sigcont);

    private static void Send(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("freezing a process is done with Linux's signal numbers");
        if (Kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

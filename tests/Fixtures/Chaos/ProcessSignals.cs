using System.Runtime.InteropServices;

namespace ActorTasks.Tests.Fixtures.Chaos;

/// <summary>Freezes and thaws another process (SIGSTOP, SIGCONT), so that to its peers it is a node that hung and came back.</summary>
internal static partial class ProcessSignals
{
    // Linux's numbers; other systems number them differently.
    private const int Sigstop = 19, Sigcont = 18;

    /// <summary>Stops <paramref name="pid"/> where it is: it runs no code and answers nothing until SIGCONT or SIGKILL.</summary>
    public static void Freeze(int pid) => Send(pid, Sigstop, "SIGSTOP");

    /// <summary>Lets a frozen <paramref name="pid"/> run again from where it stopped.</summary>
    public static void Thaw(int pid) => Send(pid, Sigcont, "SIGCONT");

    /// <summary>Thaws <paramref name="pid"/> if it is still there (a frozen node left at the end must be able to stop).</summary>
    public static void TryThaw(int pid) => Kill(pid, Sigcont);

    private static void Send(int pid, int signal, string name)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException($"{name} is sent with Linux's signal number");
        if (Kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {name}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

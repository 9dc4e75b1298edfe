using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ActorTasks.Node.Hosting;

/// <summary>
/// Another <c>actortasks</c> node started as a child OS process (by the demo): its output lines are handed to a
/// callback, it is told this process's id so it ends if we die, and disposing stops it — gracefully (SIGTERM,
/// a cluster leave) within a grace period, then by force with its whole process tree.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>A label for output, e.g. <c>worker-1</c>.</summary>
    public string Name { get; }

    /// <summary>The OS process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>actortasks</c> with <paramref name="arguments"/> (plus <c>--parent-pid</c>); each output line goes to <paramref name="onLine"/>.</summary>
    public static NodeProcess Start(string name, IEnumerable<string> arguments, Action<NodeProcess, string> onLine, bool redirectInput = false)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        var (fileName, prefix) = SelfCommand();
        info.FileName = fileName;
        foreach (var argument in prefix.Concat(arguments)) info.ArgumentList.Add(argument);
        info.ArgumentList.Add("--parent-pid");
        info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var node = new NodeProcess(name, process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(node, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(node, e.Data); };
        if (!process.Start()) throw new InvalidOperationException($"could not start {name}: {info.FileName}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>How to run this same program again: the apphost directly, or <c>dotnet actortasks.dll</c>.</summary>
    internal static (string FileName, string[] Prefix) SelfCommand()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        var entry = typeof(NodeProcess).Assembly.Location;
        var isDotnet = Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return isDotnet ? (host, [entry]) : (host, []);
    }

    /// <summary>Writes a console command to the node's standard input (when started with <c>redirectInput</c>).</summary>
    public Task SendLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    /// <summary>Completes when the process exits.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Kills the process at once, as kill -9 would (no leave, no flush).</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    /// <summary>Asks the node to stop (SIGTERM: a graceful leave); kills it if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return;
        if (OperatingSystem.IsWindows() || SendSignal(_process.Id, Sigterm) != 0)
        {
            KillHard();
            return;
        }
        try
        {
            await _process.WaitForExitAsync().WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            KillHard();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // never started, or already reaped
        }
        _process.Dispose();
    }

    private const int Sigterm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}

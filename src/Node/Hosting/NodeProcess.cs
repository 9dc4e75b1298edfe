using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace ActorTasks.Node.Hosting;

/// <summary>
/// Another <c>actortasks</c> node started as a child OS process (by the demo): its output lines are handed to a
/// callback, it is told this process's id so it ends if we die, and disposing stops it — gracefully (SIGTERM,
/// a cluster leave) within a grace period, then by force with its whole process tree.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    // Every output line, for diagnostics, and the same lines for one reader that waits for a given one.
    private readonly ConcurrentQueue<string> _history = new();
    private int _closedStreams;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

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
        MallocArenas.PassTo(info);
        info.ArgumentList.Add("--parent-pid");
        info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var node = new NodeProcess(name, process);
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data, onLine);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data, onLine);
        if (!process.Start()) throw new InvalidOperationException($"could not start {name}: {info.FileName}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    private void OnLine(string? line, Action<NodeProcess, string> onLine)
    {
        if (line is null)
        {
            // Both standard output and error have ended: no line will come any more.
            if (Interlocked.Increment(ref _closedStreams) == 2) _lines.Writer.TryComplete();
            return;
        }
        _history.Enqueue(line);
        _lines.Writer.TryWrite(line);
        onLine(this, line);
    }

    /// <summary>Everything the node has printed so far (standard output and error, interleaved).</summary>
    public IReadOnlyCollection<string> Output => _history.ToArray();

    /// <summary>
    /// Waits for the next output line that matches <paramref name="match"/> (lines before it are passed over) and
    /// returns it; throws <see cref="TimeoutException"/> with the node's output when none comes in time.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(limit.Token).ConfigureAwait(false))
            {
                if (match(line)) return line;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        throw new TimeoutException(
            $"{Name} printed no matching line within {timeout.TotalSeconds:0.#} s{(HasExited ? $" (it exited with {ExitCode})" : "")}; its output:\n  "
            + string.Join("\n  ", _history.TakeLast(40)));
    }

    /// <summary>
    /// How to run <c>actortasks</c>: the apphost directly when it is this process, otherwise <c>dotnet actortasks.dll</c>
    /// (under <c>dotnet actortasks.dll</c>, a test host or a benchmark that references this assembly).
    /// </summary>
    internal static (string FileName, string[] Prefix) SelfCommand()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        var self = typeof(NodeProcess).Assembly;
        var isDotnet = Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        if (!isDotnet && System.Reflection.Assembly.GetEntryAssembly() == self) return (host, []);
        return (isDotnet ? host : DotnetHost(), [self.Location]);
    }

    // The muxer that runs framework-dependent apps: the one the SDK names, else the one on PATH.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    /// <summary>Writes a console command to the node's standard input (when started with <c>redirectInput</c>).</summary>
    public Task SendLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    /// <summary>Completes when the process exits.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Kills this process alone at once, as kill -9 would, leaving any processes it started running.</summary>
    public void KillProcessOnly() => _process.Kill(entireProcessTree: false);

    /// <summary>Kills the process (and any it started) at once, as kill -9 would (no leave, no flush).</summary>
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

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using ActorTasks.Actor;
using ActorTasks.Remote.TestHost;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.CrossProcess.Support;

/// <summary>
/// A node in its own OS process: <c>dotnet ActorTasks.Remote.TestHost.dll</c>, built with this project and copied into
/// its output. Started and awaited until it prints READY; killed with its whole process tree when disposed, so that a
/// failing test leaves nothing behind (and the host also exits by itself when its standard input closes).
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly System.Diagnostics.Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly ConcurrentQueue<string> _transcript = new();
    private readonly ITestOutputHelper? _output;
    private readonly string _name;

    private NodeProcess(System.Diagnostics.Process process, string name, ITestOutputHelper? output)
    {
        _process = process;
        _name = name;
        _output = output;
    }

    /// <summary>The node's address, from its READY line.</summary>
    public Address Address { get; private set; } = null!;

    /// <summary>The path of the actor <paramref name="name"/> under /user on this node.</summary>
    public string PathOf(string name) => $"{Address}/user/{name}";

    /// <summary>
    /// Starts a host whose actor system is called <paramref name="systemName"/> and waits until it listens;
    /// <paramref name="environment"/> adds variables to its environment.
    /// </summary>
    public static async Task<NodeProcess> StartAsync(string systemName, ITestOutputHelper? output = null, string? secret = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(HostProtocol).Assembly.Location);
        info.ArgumentList.Add("--system");
        info.ArgumentList.Add(systemName);
        // The secret goes by environment, not on the command line where `ps` shows it.
        if (secret is null) info.Environment.Remove("ACTORTASKS__remote__secret");
        else info.Environment["ACTORTASKS__remote__secret"] = secret;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;

        var node = new NodeProcess(new System.Diagnostics.Process { StartInfo = info }, systemName, output);
        node._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                node._lines.Writer.TryComplete();
                return;
            }
            node.Record($"out: {e.Data}");
            node._lines.Writer.TryWrite(e.Data);
        };
        node._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) node.Record($"err: {e.Data}");
        };
        node._process.Start();
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        try
        {
            var ready = await node.WaitForLineAsync(HostProtocol.Ready, StartTimeout);
            node.Address = Address.Parse(ready[(HostProtocol.Ready.Length + 1)..]);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits for the next line (skipping others) that starts with <paramref name="prefix"/>; fails if the process ends first.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cts.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                    if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"{_name}: no line starting with '{prefix}' within {timeout.TotalSeconds:0} s; it printed:\n{Transcript()}");
        }
        throw new InvalidOperationException($"{_name}: the process ended before printing a line starting with '{prefix}'; it printed:\n{Transcript()}");
    }

    /// <summary>Writes one command line to the host's standard input.</summary>
    public async Task SendCommandAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Kills the process at once, as <c>kill -9</c> does (SIGKILL on Unix): no shutdown code runs in it.</summary>
    public void Kill() => _process.Kill();

    /// <summary>The exit code, once the process has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Waits until the process has exited.</summary>
    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (InvalidOperationException)
        {
            // Never started, or exited already.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Record(string line)
    {
        _transcript.Enqueue(line);
        while (_transcript.Count > 200) _transcript.TryDequeue(out _);
        try
        {
            _output?.WriteLine($"[{_name}] {line}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output is closed.
        }
    }

    private string Transcript() => string.Join('\n', _transcript);

    /// <summary>The dotnet host running these tests (so the host runs on the same runtime), else <c>dotnet</c> on the PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? self : "dotnet";
    }
}

using System.Diagnostics;
using System.Threading.Channels;

namespace ActorTasks.Examples.Chat.Tests;

/// <summary>A <c>chat</c> process (<c>dotnet chat.dll …</c> from this test's output folder): its lines as they come, its input, kill -9.</summary>
internal sealed class ChatProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];

    private ChatProcess(Process process) => _process = process;

    public static ChatProcess Start(params string[] arguments)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "chat.dll"));
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info };
        var chat = new ChatProcess(process);
        process.OutputDataReceived += (_, e) => chat.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => chat.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return chat;
    }

    private void OnLine(string? line)
    {
        if (line is not null) _lines.Writer.TryWrite(line);
    }

    /// <summary>Waits for a line that matches, past the lines already waited for; fails with everything the process printed.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(cancel.Token);
                _seen.Add(line);
                if (match(line)) return line;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching line within {timeout.TotalSeconds} s; the process printed:\n{string.Join("\n", _seen)}");
        }
    }

    public Task SendLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process has no chance to say goodbye.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

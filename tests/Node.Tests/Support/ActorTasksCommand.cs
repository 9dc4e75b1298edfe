using System.Diagnostics;

namespace ActorTasks.Node.Tests.Support;

/// <summary>Runs the built <c>actortasks</c> once, to its end, with standard output and error apart.</summary>
internal static class ActorTasksCommand
{
    public sealed record Result(int ExitCode, string Output, string Error, TimeSpan Elapsed);

    /// <summary>
    /// Runs <c>dotnet actortasks.dll ARGS</c> in <paramref name="workingDirectory"/> with no ACTORTASKS__/AKKA__ variables
    /// and an empty standard input; kills it and throws <see cref="TimeoutException"/> when it has not ended in <paramref name="timeout"/>.
    /// </summary>
    public static async Task<Result> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "actortasks.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in Environment.GetEnvironmentVariables().Keys.OfType<string>()
                     .Where(k => k.StartsWith("ACTORTASKS__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("AKKA__", StringComparison.OrdinalIgnoreCase)))
            start.Environment.Remove(key);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"actortasks {string.Join(' ', args)} was still running after {timeout.TotalSeconds:0} s; its output:\n{await output}\n{await error}");
        }
        var elapsed = clock.Elapsed;
        return new Result(process.ExitCode, (await output).Replace("\r\n", "\n"), (await error).Replace("\r\n", "\n"), elapsed);
    }
}

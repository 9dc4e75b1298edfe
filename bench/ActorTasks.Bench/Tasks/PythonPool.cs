using System.Diagnostics;
using System.Globalization;

namespace ActorTasks.Bench.Tasks;

/// <summary>
/// The baseline of task-throughput: Python's <c>multiprocessing.Pool(2).map(f, range(n), chunksize=1)</c> on a function
/// that returns its argument, timed around the map alone (the pool is started and warmed up first).
/// </summary>
internal static class PythonPool
{
    private const string Script = """
        import multiprocessing, sys, time

        def f(x):
            return x

        if __name__ == "__main__":
            n, runs = int(sys.argv[1]), int(sys.argv[2])
            with multiprocessing.Pool(2) as pool:
                pool.map(f, range(2000), chunksize=1)
                for _ in range(runs):
                    start = time.perf_counter()
                    results = pool.map(f, range(n), chunksize=1)
                    seconds = time.perf_counter() - start
                    assert sum(results) == n * (n - 1) // 2
                    print("RATE", n / seconds, flush=True)
        """;

    /// <summary>The python3 version, or null when there is no python3 on PATH.</summary>
    public static string? Version()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("python3", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            if (process is null) return null;
            var version = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? version : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Tasks per second of each of <paramref name="runs"/> maps of <paramref name="tasks"/> tasks.</summary>
    public static async Task<List<double>> RunAsync(long tasks, int runs)
    {
        var lines = await RunScriptAsync("python3", "pool", Script, [tasks.ToString(CultureInfo.InvariantCulture), runs.ToString(CultureInfo.InvariantCulture)], runs);
        return [.. lines.Select(fields => double.Parse(fields[0], CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="python"/> and returns the fields after <c>RATE</c> of each line
    /// that starts with it; the script must print <paramref name="runs"/> of them and exit 0.
    /// </summary>
    internal static async Task<List<string[]>> RunScriptAsync(string python, string name, string script, IReadOnlyList<string> arguments, int runs)
    {
        var file = Path.Combine(Path.GetTempPath(), $"actortasks-{name}-baseline-{Environment.ProcessId}.py");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
            info.ArgumentList.Add(file);
            foreach (var argument in arguments) info.ArgumentList.Add(argument);
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {python}");
            var lines = new List<string[]>();
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("RATE ", StringComparison.Ordinal)) lines.Add(line[5..].Split(' '));
            }
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || lines.Count != runs)
                throw new InvalidOperationException($"the {name} baseline exited with {process.ExitCode} after {lines.Count} of {runs} runs");
            return lines;
        }
        finally
        {
            File.Delete(file);
        }
    }
}

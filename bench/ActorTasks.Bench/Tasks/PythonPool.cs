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
        var script = Path.Combine(Path.GetTempPath(), $"actortasks-pool-baseline-{Environment.ProcessId}.py");
        await File.WriteAllTextAsync(script, Script);
        try
        {
            var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, UseShellExecute = false };
            info.ArgumentList.Add(script);
            info.ArgumentList.Add(tasks.ToString(CultureInfo.InvariantCulture));
            info.ArgumentList.Add(runs.ToString(CultureInfo.InvariantCulture));
            using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start python3");
            var rates = new List<double>();
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("RATE ", StringComparison.Ordinal)) rates.Add(double.Parse(line[5..], CultureInfo.InvariantCulture));
            }
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || rates.Count != runs)
                throw new InvalidOperationException($"the python baseline exited with {process.ExitCode} after {rates.Count} of {runs} runs");
            return rates;
        }
        finally
        {
            File.Delete(script);
        }
    }
}

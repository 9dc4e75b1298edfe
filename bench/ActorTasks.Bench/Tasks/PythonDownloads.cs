using System.Diagnostics;
using System.Globalization;

namespace ActorTasks.Bench.Tasks;

/// <summary>
/// The baseline of the download benchmark: Python's <c>concurrent.futures.ThreadPoolExecutor</c> with urllib at the same
/// concurrency, doing what a download task does: stream each body into a temp file while hashing it with SHA-256, fsync,
/// rename. Timed around the downloads alone.
/// </summary>
internal static class PythonDownloads
{
    private const string Script = """
        import concurrent.futures, hashlib, os, sys, time, urllib.request

        def fetch(url, out):
            target = os.path.join(out, url.rsplit("/", 1)[1])
            temp = os.path.join(out, "." + os.path.basename(target) + ".part")
            sha = hashlib.sha256()
            with urllib.request.urlopen(url, timeout=30) as response, open(temp, "wb") as f:
                while True:
                    chunk = response.read(128 * 1024)
                    if not chunk:
                        break
                    f.write(chunk)
                    sha.update(chunk)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temp, target)
            return sha.hexdigest()

        if __name__ == "__main__":
            urls_file, out, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
            urls = [line.strip() for line in open(urls_file) if line.strip()]
            start = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
                digests = list(pool.map(lambda u: fetch(u, out), urls))
            seconds = time.perf_counter() - start
            print("SECONDS", seconds, flush=True)
            for digest in digests:
                print("SHA", digest)
        """;

    /// <summary>Downloads every URL of <paramref name="urlsFile"/> into <paramref name="outFolder"/> with <paramref name="workers"/> threads; returns the time and the digests in list order.</summary>
    public static async Task<(TimeSpan Elapsed, List<string> Digests)> RunAsync(string urlsFile, string outFolder, int workers)
    {
        var script = Path.Combine(Path.GetTempPath(), $"actortasks-download-baseline-{Environment.ProcessId}.py");
        await File.WriteAllTextAsync(script, Script);
        try
        {
            var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in new[] { script, urlsFile, outFolder, workers.ToString(CultureInfo.InvariantCulture) }) info.ArgumentList.Add(argument);
            using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start python3");
            TimeSpan? elapsed = null;
            var digests = new List<string>();
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("SECONDS ", StringComparison.Ordinal)) elapsed = TimeSpan.FromSeconds(double.Parse(line[8..], CultureInfo.InvariantCulture));
                else if (line.StartsWith("SHA ", StringComparison.Ordinal)) digests.Add(line[4..]);
            }
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || elapsed is null)
                throw new InvalidOperationException($"the python baseline exited with {process.ExitCode}");
            return (elapsed.Value, digests);
        }
        finally
        {
            File.Delete(script);
        }
    }
}

using System.Globalization;
using ActorTasks.Bench.Tasks;
using ActorTasks.Tests.Fixtures.Http;

namespace ActorTasks.Bench;

/// <summary>
/// <c>download</c> of 500 files of 1 MB from a web server in this process, on a seed and two worker processes with four
/// consumers each and <c>--per-host 8</c>: MB/s and files/s from submit to result, every SHA-256 checked. Baseline in the
/// same run: Python's ThreadPoolExecutor(8) with urllib doing the same work per file (temp file, SHA-256, fsync, rename).
/// </summary>
public sealed class DownloadBench : IBenchmark
{
    private const int ConsumersPerWorker = 4, Workers = 2, Concurrency = ConsumersPerWorker * Workers;

    public string Name => "download";

    public string Description => $"500 x 1 MB from a local server, seed + {Workers} workers x {ConsumersPerWorker} consumers, --per-host {Concurrency} (MB/s) vs Python ThreadPoolExecutor({Concurrency}) + urllib";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var files = options.Quick ? 100 : 500;
        const int size = 1_000_000;
        var work = Directory.CreateTempSubdirectory("actortasks-bench-download-").FullName;
        var rates = new List<double>();
        var fileRates = new List<double>();
        var baselineRates = new List<double>();
        var python = PythonPool.Version();
        if (python is null) Console.WriteLine("python3 not found: no baseline");
        try
        {
            await using var server = await TestHttpServer.StartAsync();
            var expected = new List<string>();
            for (var i = 0; i < files; i++)
            {
                var content = new byte[size];
                new Random(i).NextBytes(content);
                server.Add($"/f{i:000}.bin", content);
                expected.Add(TestHttpServer.Sha256(content));
            }
            var urls = Path.Combine(work, "urls.txt");
            await File.WriteAllLinesAsync(urls, Enumerable.Range(0, files).Select(i => $"{server.Url}/f{i:000}.bin"));
            var megabytes = (double)files * size / 1e6;

            await using var cluster = await TaskCluster.StartAsync(Workers, "-D", $"actortasks.tasks.consumers-per-node={ConsumersPerWorker}");
            Console.WriteLine($"load average {LoadAverage.Read()}");
            // Warm-up: the nodes' JIT, the connection pools, the host's resource.
            await RunClusterAsync(cluster, urls, Path.Combine(work, "warm-up"), expected);
            for (var run = 0; run < options.Runs; run++)
            {
                var elapsed = await RunClusterAsync(cluster, urls, Path.Combine(work, $"run-{run}"), expected);
                rates.Add(megabytes / elapsed.TotalSeconds);
                fileRates.Add(files / elapsed.TotalSeconds);
                var line = $"run {run + 1}: {files} files in {elapsed.TotalSeconds:0.00} s = {rates[^1]:0.0} MB/s, {fileRates[^1]:0.0} files/s";
                if (python is not null)
                {
                    var outFolder = Directory.CreateDirectory(Path.Combine(work, $"python-{run}")).FullName;
                    var (seconds, digests) = await PythonDownloads.RunAsync(urls, outFolder, Concurrency);
                    if (!digests.SequenceEqual(expected)) throw new InvalidOperationException("the python baseline got wrong checksums");
                    Directory.Delete(outFolder, recursive: true);
                    baselineRates.Add(megabytes / seconds.TotalSeconds);
                    line += $"; {python} ThreadPoolExecutor({Concurrency}): {baselineRates[^1]:0.0} MB/s; ratio {rates[^1] / baselineRates[^1]:0.00}";
                }
                Console.WriteLine(line);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        var value = Measure.Median(rates);
        double? baseline = baselineRates.Count > 0 ? Measure.Median(baselineRates) : null;
        Console.WriteLine($"median: {value:0.0} MB/s, {Measure.Median(fileRates):0.0} files/s; baseline {(baseline is { } b ? $"{b:0.0} MB/s" : "none")}; load average {LoadAverage.Read()}");
        return new BenchResult(Name, value, "MB/s", baseline, Extra: new Dictionary<string, object>
        {
            ["baseline_kind"] = python is null ? "none: python3 not found" : $"{python} concurrent.futures.ThreadPoolExecutor({Concurrency}) + urllib, temp file + SHA-256 + fsync + rename",
            ["files"] = files,
            ["file_bytes"] = size,
            ["concurrency"] = Concurrency,
            ["files_per_s"] = Math.Round(Measure.Median(fileRates), 1),
            ["runs_mb_per_s"] = rates.Select(r => Math.Round(r, 1)).ToArray(),
            ["runs_baseline_mb_per_s"] = baselineRates.Select(r => Math.Round(r, 1)).ToArray(),
            ["runs"] = options.Runs,
            ["load_average"] = LoadAverage.Read(),
        });
    }

    // One job into a fresh folder; every line's checksum is checked, then the folder goes.
    private static async Task<TimeSpan> RunClusterAsync(TaskCluster cluster, string urls, string outFolder, List<string> expected)
    {
        var (finished, elapsed) = await cluster.RunAsync("download", [urls, outFolder, "--per-host", Concurrency.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(10));
        var digests = finished.Lines.Select(l => l.Split('\t')[2]).ToList();
        if (finished.LinesTotal is not null || !digests.SequenceEqual(expected))
            throw new InvalidOperationException($"download ended with {finished.LineCount} lines whose checksums do not all match");
        Directory.Delete(outFolder, recursive: true);
        return elapsed;
    }
}

using System.Globalization;
using ActorTasks.Bench.Tasks;
using ActorTasks.Node.Demo;
using SkiaSharp;

namespace ActorTasks.Bench;

/// <summary>
/// The images job on 200 generated 1920×1080 JPEGs → 800×450 PNG with brightness 1.2, on a seed and two worker
/// processes: images per second from submit to result. Baseline in the same run: Python's multiprocessing.Pool(2) with
/// Pillow doing the same transform. The target is 1.5 times that baseline.
/// </summary>
public sealed class ImagesBench : IBenchmark
{
    private const double TargetRatio = 1.5;
    private const int Images = 200, Width = 800, Height = 450;
    private const double Brightness = 1.2;

    public string Name => "images";

    public string Description => "200 generated 1920x1080 JPEGs -> 800x450 PNG, brightness 1.2, seed + 2 worker processes (images/s) vs Python Pool(2) + Pillow";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var work = Directory.CreateTempSubdirectory("actortasks-bench-images-").FullName;
        var source = Path.Combine(work, "src");
        var rates = new List<double>();
        var baselineRates = new List<double>();
        long ourBytes = 0, theirBytes = 0;
        var pillow = PillowPool.Find(out var noPillow);
        if (pillow is null) Console.WriteLine($"skipping the baseline: {noPillow}");
        try
        {
            var count = options.Quick ? 40 : Images;
            var set = DemoData.WriteImages(source, count, 1920, 1080, seed: 2026);
            Console.WriteLine($"{set.Files} JPEGs of {set.Width}x{set.Height}, {set.Bytes / 1e6:0.0} MB, in {source}");
            string[] job = [source, "", "--resize", $"{Width}x{Height}", "--brightness", Brightness.ToString(CultureInfo.InvariantCulture)];
            await using var cluster = await TaskCluster.StartAsync(workers: 2);
            Console.WriteLine($"load average {LoadAverage.Read()}");
            // Warm-up: every worker's consumers through the decode, resample and encode paths once, and JIT compilation.
            await RunOnceAsync(cluster, job, Path.Combine(work, "warm-up"), count);
            for (var run = 0; run < options.Runs; run++)
            {
                var output = Path.Combine(work, $"out-{run}");
                var (rate, bytes) = await RunOnceAsync(cluster, job, output, count);
                rates.Add(rate);
                ourBytes = bytes;
                Directory.Delete(output, recursive: true);
                var line = $"run {run + 1}: {count} images = {rate:0.00} images/s, {bytes / 1e6:0.0} MB of PNG, every one {Width}x{Height}";
                if (pillow is { } p)
                {
                    var pythonOut = Path.Combine(work, $"pillow-{run}");
                    var (baseline, pillowBytes) = (await PillowPool.RunAsync(p.Python, source, pythonOut, Width, Height, Brightness, 1))[0];
                    baselineRates.Add(baseline);
                    theirBytes = pillowBytes;
                    CheckOutputs(pythonOut, count);
                    Directory.Delete(pythonOut, recursive: true);
                    line += $"; {p.Shown} Pool(2): {baseline:0.00} images/s, {pillowBytes / 1e6:0.0} MB; ratio {rate / baseline:0.00}";
                }
                Console.WriteLine(line);
            }
        }
        finally
        {
            if (options.Keep) Console.WriteLine($"kept {work}");
            else Directory.Delete(work, recursive: true);
        }
        var value = Measure.Median(rates);
        double? median = baselineRates.Count > 0 ? Measure.Median(baselineRates) : null;
        var ratio = median is { } b && b > 0 ? value / b : (double?)null;
        Console.WriteLine($"median: {value:0.00} images/s, baseline {(median is { } m ? $"{m:0.00} images/s" : "none")}, ratio {(ratio is { } r ? $"{r:0.00}" : "n/a")} " +
            $"(target >= {TargetRatio}x the baseline); load average {LoadAverage.Read()}");
        return new BenchResult(Name, value, "images/s", median, Extra: new Dictionary<string, object>
        {
            ["baseline_kind"] = pillow is { } k ? $"{k.Shown} multiprocessing.Pool(2).map, chunksize=1: open, resize bicubic, ImageEnhance.Brightness, save PNG" : $"none: {noPillow}",
            ["library"] = "SkiaSharp 4.156.1",
            ["images"] = options.Quick ? 40 : Images,
            ["workers"] = 2,
            ["png_mb"] = Math.Round(ourBytes / 1e6, 1),
            ["baseline_png_mb"] = Math.Round(theirBytes / 1e6, 1),
            ["runs_images_per_s"] = rates.Select(v => Math.Round(v, 2)).ToArray(),
            ["runs_baseline_images_per_s"] = baselineRates.Select(v => Math.Round(v, 2)).ToArray(),
            ["runs_ratio"] = rates.Zip(baselineRates, (a, c) => Math.Round(a / c, 2)).ToArray(),
            ["target_ratio"] = TargetRatio,
            ["meets_target"] = ratio >= TargetRatio,
            ["runs"] = options.Runs,
            ["load_average"] = LoadAverage.Read(),
        });
    }

    private static async Task<(double Rate, long Bytes)> RunOnceAsync(TaskCluster cluster, string[] job, string output, int count)
    {
        job[1] = output;
        var (finished, elapsed) = await cluster.RunAsync("images", job, TimeSpan.FromMinutes(10));
        var written = finished.Summary.First(kv => kv.Key == "images written").Value;
        if (written != count.ToString(CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"images wrote {written} of {count} images");
        CheckOutputs(output, count);
        Console.WriteLine($"  {elapsed.TotalSeconds:0.00} s; {string.Join(", ", finished.Summary.Select(kv => $"{kv.Key} {kv.Value}"))}");
        return (count / elapsed.TotalSeconds, long.Parse(finished.Summary.First(kv => kv.Key == "bytes out").Value, CultureInfo.InvariantCulture));
    }

    // Both sides must have written every image, as a PNG of the size asked for.
    private static void CheckOutputs(string folder, int count)
    {
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        if (files.Length != count) throw new InvalidOperationException($"{folder} holds {files.Length} files, not {count}");
        foreach (var file in files)
        {
            using var codec = SKCodec.Create(file) ?? throw new InvalidOperationException($"{file} is not an image");
            if (codec.EncodedFormat != SKEncodedImageFormat.Png || codec.Info.Width != Width || codec.Info.Height != Height)
                throw new InvalidOperationException($"{file} is a {codec.EncodedFormat} of {codec.Info.Width}x{codec.Info.Height}");
        }
    }
}

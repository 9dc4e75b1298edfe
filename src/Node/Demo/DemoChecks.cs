using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ActorTasks.Messages;
using SkiaSharp;

namespace ActorTasks.Node.Demo;

/// <summary>The demo's four jobs: each is run on the cluster, its result printed, and then checked (against a single-threaded computation, or the files it wrote).</summary>
internal sealed class DemoChecks(DemoJobRunner runner, TextWriter output)
{
    private const int SampleLines = 5;

    /// <summary>How many jobs the demo runs.</summary>
    public const int Jobs = 4;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>grep over the generated log tree; the lines must equal a line-by-line scan of the same files.</summary>
    public async Task<bool> GrepAsync(DemoData.LogTree tree, CancellationToken stop)
    {
        Heading(1, $"grep: lines matching '{DemoData.GrepPattern}' in {tree.Files:N0} log files ({tree.Lines:N0} lines, {Megabytes(tree.Bytes)})");
        var job = await runner.RunAsync("grep", [DemoData.GrepPattern, tree.Root, "--glob", "*.log"], stop);
        if (!Completed(job)) return false;
        var lines = job!.Finished.Lines;
        await output.WriteLineAsync($"  result: {Summary(job, "files")} files searched, {Summary(job, "matches")} matching lines; the first {Math.Min(SampleLines, lines.Count)}:");
        var folder = Path.GetDirectoryName(tree.Root) + Path.DirectorySeparatorChar;
        foreach (var line in lines.Take(SampleLines))
            await output.WriteLineAsync("    " + (line.StartsWith(folder, StringComparison.Ordinal) ? line[folder.Length..] : line));

        var clock = Stopwatch.StartNew();
        var expected = SingleThreaded.Grep(tree.Root, new Regex(DemoData.GrepPattern, RegexOptions.CultureInvariant));
        var same = expected.Order(StringComparer.Ordinal).SequenceEqual(lines.Order(StringComparer.Ordinal));
        return await CheckAsync(same, $"a single-threaded scan of the same files finds {expected.Count:N0} lines in {clock.Elapsed.TotalSeconds:0.00} s",
            "the same lines", "different lines");
    }

    /// <summary>csv-stats over the generated CSV; the statistics must equal a line-by-line reader's (mean and std within 1e-12 relative).</summary>
    public async Task<bool> CsvStatsAsync(DemoData.CsvFile csv, CancellationToken stop)
    {
        Heading(2, $"csv-stats: the {DemoData.CsvColumn} column of a {csv.Rows:N0}-row CSV ({Megabytes(csv.Bytes)}, {csv.MalformedRows} rows with 'n/a')");
        var job = await runner.RunAsync("csv-stats", [csv.Path, "--column", DemoData.CsvColumn], stop);
        if (!Completed(job)) return false;

        var clock = Stopwatch.StartNew();
        var expected = SingleThreaded.CsvColumn(csv.Path, DemoData.CsvColumn, stop);
        var reference = clock.Elapsed;
        var rows = new (string Key, double Expected, bool Exact)[]
        {
            ("count", expected.Count, true), ("mean", expected.Mean, false), ("std", expected.Std, false), ("min", expected.Min, true),
            ("q1", expected.Q1, true), ("median", expected.Median, true), ("q3", expected.Q3, true), ("max", expected.Max, true),
            ("malformed rows", expected.Malformed, true),
        };
        await output.WriteLineAsync($"  {"",-16}{"cluster",20}  {"single-threaded",20}");
        var same = true;
        foreach (var (key, want, exact) in rows)
        {
            var text = Summary(job!, key);
            var got = double.Parse(text, NumberStyles.Float, Inv);
            var ok = exact ? got == want : Math.Abs(got - want) <= 1e-12 * Math.Abs(want);
            same &= ok;
            await output.WriteLineAsync($"  {key,-16}{Shown(got),20}  {Shown(want),20}{(ok ? "" : "  <- differs")}");
        }
        foreach (var problem in job!.Finished.Lines.Take(2)) await output.WriteLineAsync($"  {problem}");
        return await CheckAsync(same, $"a single-threaded reader of the same file took {reference.TotalSeconds:0.00} s",
            "the same statistics (count, min, max, median and quartiles exactly; mean and std within 1e-12)", "different statistics");
    }

    /// <summary>primes below <paramref name="to"/>; the count must equal a single-threaded sieve's.</summary>
    public async Task<bool> PrimesAsync(long to, long chunk, CancellationToken stop)
    {
        Heading(3, $"primes: how many primes are below {to:N0} ({(to + chunk - 1) / chunk} tasks of {chunk:N0} numbers)");
        var job = await runner.RunAsync("primes", ["0", to.ToString(Inv), "--chunk", chunk.ToString(Inv)], stop);
        if (!Completed(job)) return false;
        var count = long.Parse(Summary(job!, "count"), Inv);
        await output.WriteLineAsync($"  result: {count:N0} primes, the largest {long.Parse(Summary(job!, "largest"), Inv):N0}");

        var clock = Stopwatch.StartNew();
        var expected = SingleThreaded.CountPrimes(0, to);
        return await CheckAsync(count == expected, $"a single-threaded sieve counts {expected:N0} in {clock.Elapsed.TotalSeconds:0.00} s",
            "the same answer", "a DIFFERENT answer");
    }

    /// <summary>images over the generated JPEGs into <paramref name="output"/>; every one must be written there, as a PNG of the size asked for.</summary>
    public async Task<bool> ImagesAsync(DemoData.ImageSet images, string folder, int width, int height, CancellationToken stop)
    {
        Heading(4, $"images: {images.Files} generated {images.Width}x{images.Height} JPEGs ({Megabytes(images.Bytes)}) to {width}x{height} PNGs, 20 % brighter");
        var job = await runner.RunAsync("images", [images.Root, folder, "--resize", $"{width}x{height}", "--brightness", "1.2"], stop);
        if (!Completed(job)) return false;
        await output.WriteLineAsync($"  result: {Summary(job!, "images written")} images written, {Megabytes(long.Parse(Summary(job!, "bytes in"), Inv))} in, " +
            $"{Megabytes(long.Parse(Summary(job!, "bytes out"), Inv))} out; {Summary(job!, "median ms per image")} ms per image (median), {Summary(job!, "p95 ms per image")} ms (p95)");
        foreach (var line in job!.Finished.Lines.Take(2)) await output.WriteLineAsync($"    {line}");

        var right = 0;
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
        foreach (var file in files)
        {
            using var codec = SKCodec.Create(file);
            if (codec is { EncodedFormat: SKEncodedImageFormat.Png } && codec.Info.Width == width && codec.Info.Height == height) right++;
        }
        return await CheckAsync(right == images.Files && files.Length == images.Files,
            $"{folder} holds {files.Length} files, {right} of them {width}x{height} PNGs",
            $"every image, at the size asked for", $"NOT every image at the size asked for ({images.Files} expected)");
    }

    private void Heading(int number, string text)
    {
        output.WriteLine("");
        output.WriteLine($"[{number}/{Jobs}] {text}");
    }

    private bool Completed(DemoJob? job)
    {
        if (job is null) return false;
        if (job.Finished.State == JobState.Completed && job.Finished.Failed == 0) return true;
        output.WriteLine($"  the job did not complete cleanly: {job.Finished.State}, {job.Finished.Failed} failed tasks");
        foreach (var failure in job.Finished.Failures.Take(3))
            output.WriteLine($"    task {failure.TaskIndex}: {failure.ErrorType}: {failure.Message}");
        return false;
    }

    private async Task<bool> CheckAsync(bool same, string what, string sameText, string differentText)
    {
        await output.WriteLineAsync($"  check: {what} -> {(same ? sameText : differentText)}");
        return same;
    }

    private static string Summary(DemoJob job, string key) =>
        job.Finished.Summary.FirstOrDefault(kv => kv.Key == key).Value
        ?? throw new InvalidOperationException($"the job's summary has no '{key}'");

    private static string Shown(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? value.ToString("N0", Inv) : value.ToString("0.######", Inv);

    private static string Megabytes(long bytes) => string.Create(Inv, $"{bytes / 1e6:0.0} MB");
}

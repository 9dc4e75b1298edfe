using System.Buffers.Text;
using System.Globalization;
using System.Text;
using SkiaSharp;

namespace ActorTasks.Node.Demo;

/// <summary>
/// Sample inputs for the demo, the end-to-end tests and the benchmarks, generated from a seed so that every run
/// writes the same bytes: a tree of service log files (for grep), a CSV of request latencies (for csv-stats) and a
/// folder of photo-like JPEGs (for images).
/// </summary>
public static class DemoData
{
    /// <summary>The CSV's numeric column, the one the demo summarises.</summary>
    public const string CsvColumn = "latency_ms";

    /// <summary>The grep pattern the demo searches the log tree for.</summary>
    public const string GrepPattern = "ERROR .*timed out";

    private static readonly string[] Services = ["api", "auth", "billing", "cart", "gateway", "inventory", "mail", "search", "shipping", "users"];
    private static readonly string[] Regions = ["eu-west", "eu-north", "us-east", "us-west", "ap-south", "ap-east", "sa-east", "af-south"];
    private static readonly string[] Errors =
    [
        "upstream {0} timed out after 30s",
        "connection reset by peer ({0})",
        "query on {0} timed out after 5s",
        "disk quota exceeded on {0}",
        "certificate for {0} expires in 3 days",
    ];

    /// <summary>A generated log tree: its root folder, how many files and lines it holds, and its size.</summary>
    public sealed record LogTree(string Root, int Files, long Lines, long Bytes);

    /// <summary>A generated CSV file: its path, data rows (the header not counted), malformed rows among them, and its size.</summary>
    public sealed record CsvFile(string Path, long Rows, long MalformedRows, long Bytes);

    /// <summary>A generated set of JPEGs: its root folder, how many, their size in pixels and their bytes in all.</summary>
    public sealed record ImageSet(string Root, int Files, int Width, int Height, long Bytes);

    /// <summary>
    /// Writes <paramref name="count"/> JPEGs of <paramref name="width"/> × <paramref name="height"/> (quality 90) as
    /// <c>ROOT/roll-R/IMG_NNNN.jpg</c>, 50 to a folder: a sky-to-ground gradient, soft discs and fine grain, so that
    /// they decode, resample and compress about as photos do.
    /// </summary>
    public static ImageSet WriteImages(string root, int count, int width, int height, int seed)
    {
        var random = new Random(seed);
        long bytes = 0;
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        using var canvas = new SKCanvas(bitmap);
        using var paint = new SKPaint { IsAntialias = true };
        for (var i = 0; i < count; i++)
        {
            SKColor Colour(int alpha = 255) => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)alpha);
            using (var sky = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width * 0.3f, height), [Colour(), Colour(), Colour()], SKShaderTileMode.Clamp))
            {
                paint.Shader = sky;
                canvas.DrawRect(0, 0, width, height, paint);
                paint.Shader = null;
            }
            for (var disc = 0; disc < 30; disc++)
            {
                paint.Color = Colour(random.Next(60, 200));
                canvas.DrawCircle(random.Next(width), random.Next(height), random.Next(height / 40, height / 4), paint);
            }
            using (var grain = SKShader.CreatePerlinNoiseFractalNoise(0.6f, 0.6f, 2, random.Next()))
            {
                paint.Shader = grain;
                paint.BlendMode = SKBlendMode.Overlay;
                paint.Color = SKColors.White.WithAlpha(70);
                canvas.DrawRect(0, 0, width, height, paint);
                paint.Shader = null;
                paint.BlendMode = SKBlendMode.SrcOver;
            }
            var folder = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"roll-{i / 50 + 1}"));
            Directory.CreateDirectory(folder);
            using var jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"IMG_{i + 1:D4}.jpg"));
            using (var file = File.Create(path)) jpeg.SaveTo(file);
            bytes += jpeg.Size;
        }
        return new ImageSet(root, count, width, height, bytes);
    }

    /// <summary>
    /// Writes <c>ROOT/SERVICE/2024-05-DD.log</c> for <paramref name="services"/> services (at most 10) over
    /// <paramref name="days"/> days (at most 31): 40 to 300 lines each, about 3% of them errors.
    /// </summary>
    public static LogTree WriteLogTree(string root, int services, int days, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(services, Services.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, 31);
        var random = new Random(seed);
        int files = 0;
        long lines = 0, bytes = 0;
        var text = new StringBuilder();
        foreach (var service in Services.Take(services))
        {
            var folder = Path.Combine(root, service);
            Directory.CreateDirectory(folder);
            for (var day = 1; day <= days; day++)
            {
                text.Clear();
                var count = random.Next(40, 301);
                var time = new DateTime(2024, 5, day, 0, 0, 0, DateTimeKind.Utc);
                for (var i = 0; i < count; i++)
                {
                    time = time.AddSeconds(random.Next(1, 240));
                    var roll = random.Next(100);
                    var level = roll < 3 ? "ERROR" : roll < 10 ? "WARN " : "INFO ";
                    var message = roll < 3
                        ? string.Format(CultureInfo.InvariantCulture, Errors[random.Next(Errors.Length)], Services[random.Next(Services.Length)])
                        : roll < 10
                            ? $"slow request to /{service}/{random.Next(1000)} took {random.Next(500, 3000)}ms"
                            : $"request /{service}/{random.Next(1000)} served in {random.Next(1, 120)}ms";
                    text.Append(CultureInfo.InvariantCulture, $"{time:yyyy-MM-ddTHH:mm:ssZ} {level} {message}\n");
                }
                var path = Path.Combine(folder, $"2024-05-{day:00}.log");
                var content = Encoding.UTF8.GetBytes(text.ToString());
                File.WriteAllBytes(path, content);
                files++;
                lines += count;
                bytes += content.Length;
            }
        }
        return new LogTree(root, files, lines, bytes);
    }

    /// <summary>
    /// Writes a CSV of <paramref name="rows"/> rows <c>id,region,latency_ms,bytes</c> (latencies log-normal around
    /// 20 ms); with <paramref name="malformedEvery"/> &gt; 0, every that many rows has <c>n/a</c> as its latency.
    /// </summary>
    public static CsvFile WriteCsv(string path, long rows, int seed, long malformedEvery = 0) =>
        Write(path, seed, malformedEvery, (written, _) => written < rows, CancellationToken.None);

    /// <summary>Writes rows as <see cref="WriteCsv"/> does until the file holds at least <paramref name="bytes"/> bytes.</summary>
    public static CsvFile WriteCsvOfSize(string path, long bytes, int seed, CancellationToken cancellationToken = default) =>
        Write(path, seed, 0, (_, size) => size < bytes, cancellationToken);

    private static CsvFile Write(string path, int seed, long malformedEvery, Func<long, long, bool> more, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var temp = path + ".partial";
        long rows = 0, malformed = 0, size = 0;
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var buffer = new byte[1 << 20];
            var used = Append(buffer, 0, "id,region,latency_ms,bytes\n"u8);
            while (more(rows, size + used))
            {
                if (buffer.Length - used < 256)
                {
                    file.Write(buffer, 0, used);
                    size += used;
                    used = 0;
                    if ((rows & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                }
                rows++;
                used = FormatRow(buffer, used, rows, random, malformedEvery > 0 && rows % malformedEvery == 0);
                if (malformedEvery > 0 && rows % malformedEvery == 0) malformed++;
            }
            file.Write(buffer, 0, used);
            size += used;
        }
        File.Move(temp, path, overwrite: true);
        return new CsvFile(path, rows, malformed, size);
    }

    private static int FormatRow(byte[] buffer, int at, long id, Random random, bool malformed)
    {
        Utf8Formatter.TryFormat(id, buffer.AsSpan(at), out var n);
        at += n;
        buffer[at++] = (byte)',';
        at += Encoding.ASCII.GetBytes(Regions[random.Next(Regions.Length)], buffer.AsSpan(at));
        buffer[at++] = (byte)',';
        // Box–Muller: a standard normal from two uniforms, so the latencies are log-normal.
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        if (malformed)
        {
            at = Append(buffer, at, "n/a"u8);
        }
        else
        {
            Utf8Formatter.TryFormat(Math.Round(Math.Exp(3 + 0.6 * normal), 3), buffer.AsSpan(at), out n);
            at += n;
        }
        buffer[at++] = (byte)',';
        Utf8Formatter.TryFormat(random.Next(200, 2_000_000), buffer.AsSpan(at), out n);
        at += n;
        buffer[at++] = (byte)'\n';
        return at;
    }

    private static int Append(byte[] buffer, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.AsSpan(at));
        return at + bytes.Length;
    }
}

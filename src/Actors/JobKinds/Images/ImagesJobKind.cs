using System.Globalization;
using System.IO.Enumeration;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Images;

/// <summary>
/// <c>images SRC OUT [--resize WxH | --max-side N] [--brightness F] [--format png|jpeg|webp] [--quality Q] [--glob '*.jpg'] [--keep-aspect]</c>:
/// resizes, brightens and converts every image under SRC into OUT, which mirrors SRC's tree.
/// </summary>
public sealed class ImagesJobKind : IJobKind
{
    /// <summary>The largest width, height or side a resize may ask for.</summary>
    public const int MaxSide = 32_768;

    /// <summary>Images with more pixels than this are refused before decoding unless <c>--max-pixels</c> says otherwise.</summary>
    public const long DefaultMaxPixels = 100_000_000;

    /// <summary>JPEG and WebP quality unless <c>--quality</c> says otherwise.</summary>
    public const int DefaultQuality = 90;

    /// <summary>The files taken without <c>--glob</c>: the formats the decoder reads, by extension, in any case.</summary>
    internal static readonly IReadOnlyList<string> DefaultGlobs = ["*.jpg", "*.jpeg", "*.png", "*.webp", "*.gif", "*.bmp"];

    private static readonly JobOption[] Options =
    [
        new("--resize", TakesValue: true),
        new("--max-side", TakesValue: true),
        new("--keep-aspect", TakesValue: false),
        new("--brightness", TakesValue: true),
        new("--format", TakesValue: true),
        new("--quality", TakesValue: true),
        new("--glob", TakesValue: true, Repeatable: true),
        new("--max-pixels", TakesValue: true),
    ];

    /// <inheritdoc />
    public string Name => "images";

    /// <inheritdoc />
    public string Usage =>
        "images SRC OUT [--resize WxH | --max-side N] [--brightness F] [--format png|jpeg|webp] [--quality Q] [--glob '*.jpg'] [--keep-aspect] [--max-pixels N]";

    /// <inheritdoc />
    public IReadOnlyList<string> ResolvePaths(IReadOnlyList<string> arguments, string directory) =>
        JobArguments.ResolvePaths(arguments, Options, position => position <= 1, directory);

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments)
    {
        var parsed = JobArguments.Parse(arguments, Usage, ["SRC", "OUT"], Options);
        var recipe = Recipe(parsed);
        var globs = parsed.All("--glob");
        foreach (var glob in globs)
        {
            if (glob.Length == 0 || glob.Contains('/') || glob.Contains('\\'))
                throw new JobArgumentException("--glob", $"'{glob}' must be a non-empty file-name pattern (* and ?), without a directory part");
        }

        var source = parsed.Positionals[0];
        if (source.Length == 0 || !FileTree.Exists(source))
            throw new JobArgumentException("SRC", $"no such file or directory: '{source}'");
        var output = parsed.Positionals[1];
        if (output.Length == 0)
            throw new JobArgumentException("OUT", "is empty; name the folder to write the images to");
        CheckApart(source, output, recipe);
        EnsureWritable(output);
        return new ImagesJob(recipe, source, output, globs.Count > 0 ? globs : DefaultGlobs);
    }

    /// <summary>True when <paramref name="fileName"/> matches one of <paramref name="globs"/> (<c>*</c> and <c>?</c>), ignoring case: cameras write <c>.JPG</c>.</summary>
    internal static bool MatchesAnyGlob(IReadOnlyList<string> globs, string fileName) =>
        globs.Any(g => FileSystemName.MatchesSimpleExpression(g, fileName, ignoreCase: true));

    private static ImageRecipe Recipe(JobArguments parsed)
    {
        var maxPixels = parsed.Number("--max-pixels", DefaultMaxPixels, 1, 1L << 40);
        var mode = ResizeMode.None;
        int width = 0, height = 0;
        if (parsed.Has("--resize") && parsed.Has("--max-side"))
            throw new JobArgumentException("--max-side", "cannot go with --resize: give one of them");
        if (parsed.Has("--resize"))
        {
            (width, height) = ParseSize(parsed.Value("--resize", ""));
            mode = parsed.Has("--keep-aspect") ? ResizeMode.Fit : ResizeMode.Exact;
            if ((long)width * height > maxPixels)
                throw new JobArgumentException("--resize", string.Create(CultureInfo.InvariantCulture, $"{width}x{height} is more than the {maxPixels:N0} pixels an image may have (--max-pixels)"));
        }
        else if (parsed.Has("--keep-aspect"))
        {
            throw new JobArgumentException("--keep-aspect", "goes with --resize WxH (--max-side always keeps the aspect ratio)");
        }
        else if (parsed.Has("--max-side"))
        {
            width = height = (int)parsed.Number("--max-side", 0, 1, MaxSide);
            mode = ResizeMode.MaxSide;
        }

        var brightness = 1.0;
        if (parsed.Has("--brightness"))
        {
            var text = parsed.Value("--brightness", "");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out brightness) || !double.IsFinite(brightness))
                throw new JobArgumentException("--brightness", $"'{text}' is not a number (1 keeps the image as it is, 1.2 brightens by 20 %)");
            if (brightness is < 0 or > 100)
                throw new JobArgumentException("--brightness", $"{text} is out of range; it must be between 0 and 100");
        }

        var formatText = parsed.Value("--format", "png");
        var format = formatText.ToLowerInvariant() switch
        {
            "png" => ImageFormat.Png,
            "jpeg" or "jpg" => ImageFormat.Jpeg,
            "webp" => ImageFormat.Webp,
            _ => throw new JobArgumentException("--format", $"'{formatText}' is not one of png, jpeg, webp"),
        };
        if (format == ImageFormat.Png && parsed.Has("--quality"))
            throw new JobArgumentException("--quality", "applies to jpeg and webp; png is lossless");
        var quality = (int)parsed.Number("--quality", DefaultQuality, 1, 100);
        return new ImageRecipe(mode, width, height, (float)brightness, format, quality, maxPixels);
    }

    private static (int Width, int Height) ParseSize(string text)
    {
        var x = text.IndexOfAny(['x', 'X']);
        if (x <= 0 || x == text.Length - 1
            || !int.TryParse(text.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(text.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var height))
            throw new JobArgumentException("--resize", $"'{text}' is not WIDTHxHEIGHT, e.g. 800x450");
        if (width is < 1 or > MaxSide || height is < 1 or > MaxSide)
            throw new JobArgumentException("--resize", $"'{text}': width and height must each be between 1 and {MaxSide}");
        return (width, height);
    }

    // OUT must not overlap SRC: the job would read what it writes, or overwrite its inputs.
    private static void CheckApart(string source, string output, ImageRecipe recipe)
    {
        var src = RealPath(source);
        var dst = RealPath(output);
        if (File.Exists(src))
        {
            var target = Path.Join(dst, Path.ChangeExtension(Path.GetFileName(src), recipe.Extension));
            if (string.Equals(target, src, StringComparison.Ordinal))
                throw new JobArgumentException("OUT", $"'{output}' would overwrite SRC '{source}' with its output");
            return;
        }
        if (IsSameOrInside(dst, src))
            throw new JobArgumentException("OUT", $"'{output}' is inside SRC '{source}': the job would read the images it writes");
        if (IsSameOrInside(src, dst))
            throw new JobArgumentException("OUT", $"'{output}' contains SRC '{source}': outputs could overwrite inputs");
    }

    private static bool IsSameOrInside(string path, string folder) =>
        path == folder || path.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The full path with every symbolic link along it that exists resolved, so that a link cannot hide an overlap.</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var resolved = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Join(resolved, part);
            try
            {
                var info = new FileInfo(next);
                if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                    next = RealPath(target.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not there (yet) or not ours to look at: the path as written.
            }
            resolved = next;
        }
        return resolved;
    }

    /// <summary>Creates OUT when missing and proves it writable with a file created and deleted at once.</summary>
    private static void EnsureWritable(string output)
    {
        if (File.Exists(output))
            throw new JobArgumentException("OUT", $"'{output}' is a file; it must be a folder (it is created when missing)");
        try
        {
            Directory.CreateDirectory(output);
            using var probe = new FileStream(Path.Join(output, $".actortasks-probe-{Guid.NewGuid():N}"), FileMode.CreateNew,
                FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new JobArgumentException("OUT", $"'{output}' is not a folder this node can write to: {e.Message}");
        }
    }
}

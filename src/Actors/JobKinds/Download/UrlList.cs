using System.Text;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Download;

/// <summary>One file to download: the URL, where it goes under OUT (with '/' separators), and the line of the URLs file it came from.</summary>
internal sealed record UrlEntry(int Line, Uri Url, string Target);

/// <summary>
/// Reads a URLs file: one absolute http or https URL per line, optionally followed by the path to save it under (relative
/// to OUT); blank lines and lines starting with <c>#</c> are skipped. A line that breaks a rule is an error naming the
/// file and the line.
/// </summary>
internal static class UrlList
{
    /// <summary>The longest URL accepted: longer ones are refused at submit (servers refuse them anyway).</summary>
    public const int MaxUrlLength = 8192;

    /// <summary>Reads and checks the whole file: every line, and that no two URLs go to the same place. Throws <see cref="JobArgumentException"/> naming URLS_FILE, the file and the line.</summary>
    public static int Check(string path)
    {
        // Targets compared as the file system does: on Windows and macOS "A.txt" and "a.txt" are one file.
        var comparer = OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        var targets = new Dictionary<string, int>(comparer);
        var folders = new Dictionary<string, int>(comparer);
        var count = 0;
        foreach (var entry in Read(path))
        {
            if (targets.TryGetValue(entry.Target, out var first))
                throw Error(path, entry.Line, $"the target '{entry.Target}' is also the target of line {first}; give one of them another path after its URL");
            if (folders.TryGetValue(entry.Target, out var child))
                throw Error(path, entry.Line, $"the target '{entry.Target}' is a folder of the target of line {child}");
            var slash = entry.Target.LastIndexOf('/');
            while (slash > 0)
            {
                var folder = entry.Target[..slash];
                if (targets.TryGetValue(folder, out var file))
                    throw Error(path, entry.Line, $"the target '{entry.Target}' needs a folder '{folder}', which is the target of line {file}");
                folders.TryAdd(folder, entry.Line);
                slash = folder.LastIndexOf('/');
            }
            targets.Add(entry.Target, entry.Line);
            count++;
        }
        return count;
    }

    /// <summary>The longest line read: a URL at its limit, a target path, and room to spare.</summary>
    private const int MaxLineBytes = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The entries of the file, lazily, in file order; a bad line throws <see cref="JobArgumentException"/> when it is reached.</summary>
    public static IEnumerable<UrlEntry> Read(string path, CancellationToken cancellationToken = default)
    {
        using var stream = Open(path);
        var reader = new ByteLineReader(stream, 0, MaxLineBytes);
        for (var number = 1; ReadLine(reader, path, number) is { } line; number++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = line.Trim();
            if (text.Length == 0 || text[0] == '#') continue;
            yield return Parse(path, number, text);
        }
    }

    // Decoded line by line, so that bytes that are not UTF-8 are reported on their own line.
    private static string? ReadLine(ByteLineReader reader, string path, int number)
    {
        bool more, tooLong;
        ReadOnlySpan<byte> bytes;
        try
        {
            more = reader.TryReadLine(out bytes, out tooLong);
        }
        catch (IOException e)
        {
            throw new JobArgumentException("URLS_FILE", $"{path}: cannot be read after line {number - 1}: {e.Message}");
        }
        if (!more) return null;
        if (tooLong) throw Error(path, number, $"the line is longer than {MaxLineBytes / 1024} KiB");
        if (number == 1 && bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error(path, number, "the line is not UTF-8 text");
        }
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new JobArgumentException("URLS_FILE", e is FileNotFoundException or DirectoryNotFoundException ? $"no such file: '{path}'" : $"{path}: {e.Message}");
        }
    }

    private static UrlEntry Parse(string path, int line, string text)
    {
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length > 2)
            throw Error(path, line, $"expected a URL and at most a target path after it, but found {fields.Length} words");
        var word = fields[0];
        if (word.Length > MaxUrlLength)
            throw Error(path, line, $"the URL is {word.Length:N0} characters long; at most {MaxUrlLength:N0} are accepted");
        if (!Uri.TryCreate(word, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
            throw Error(path, line, $"'{Shorten(word)}' is not an absolute http or https URL");
        var target = fields.Length == 2 ? CheckTarget(path, line, fields[1]) : TargetFromUrl(path, line, url);
        return new UrlEntry(line, url, target);
    }

    // The URL's last path segment, decoded: https://example.org/data/a%20b.csv?x=1 → "a b.csv".
    private static string TargetFromUrl(string path, int line, Uri url)
    {
        var segment = url.AbsolutePath[(url.AbsolutePath.LastIndexOf('/') + 1)..];
        var name = Uri.UnescapeDataString(segment);
        if (name.Length == 0)
            throw Error(path, line, $"'{Shorten(url.OriginalString)}' names no file (its path ends in '/'); put a target path after the URL");
        if (name.Contains('/') || name.Contains('\\') || !IsFileName(name))
            throw Error(path, line, $"'{Shorten(url.OriginalString)}' ends in '{name}', which is not a usable file name; put a target path after the URL");
        return name;
    }

    private static string CheckTarget(string path, int line, string target)
    {
        var normalized = target.Replace('\\', '/');
        if (Path.IsPathRooted(target) || normalized.StartsWith('/'))
            throw Error(path, line, $"the target '{target}' is absolute; it must be a path relative to OUT");
        var segments = normalized.Split('/');
        if (segments.Any(s => !IsFileName(s)))
            throw Error(path, line, $"the target '{target}' is not a usable relative path: no empty, '.' or '..' parts, and no characters a file name cannot hold");
        return normalized;
    }

    // Control characters too: a tab or newline in a name would break the job's tab-separated result lines.
    private static bool IsFileName(string name) =>
        name.Length > 0 && name is not ("." or "..") && name.Length <= 255 && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && !name.Any(char.IsControl);

    private static string Shorten(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");

    private static JobArgumentException Error(string path, int line, string message) => new("URLS_FILE", $"{path}: line {line}: {message}");
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Grep;

/// <summary>
/// A prepared grep: small files go in batches, large ones in byte ranges of their own, so that no task reads (and no
/// result holds) more than about <see cref="GrepTuning.RangeBytes"/>; each task reports its matching lines by their
/// number within its range, and the reducer numbers them in the file.
/// </summary>
/// <remarks>
/// Lines end at '\n' only, as in <c>grep</c>: a lone '\r' is text, and the '\r' of a CRLF ending stays part of the line
/// (so <c>ERROR$</c> does not match "ERROR\r\n", as in grep). A file with a NUL in its first 8 KiB, or with a line that
/// is not valid UTF-8, is binary: its lines are not printed, and when something in it matches the output says
/// <c>Binary file PATH matches</c>, as grep does.
/// </remarks>
internal sealed class GrepJob(Regex regex, string root, IReadOnlyList<string> globs, GrepTuning tuning) : IPreparedJob
{
    /// <summary>Longer matching lines are cut to this many characters (and end in …), so one minified file cannot flood the result.</summary>
    internal const int MaxTextLength = 1000;

    /// <summary>A line longer than this is not searched (reported as an error); lines are read whole to be matched.</summary>
    internal const int MaxLineBytes = 16 << 20;

    private const int BinaryProbeBytes = 8192;
    private const int LinesBetweenCancellationChecks = 4096;

    public IReadOnlyDictionary<string, int> ResourcesPerTask => NoResources.Instance;

    public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
    {
        var segments = new List<GrepSegment>();
        var walkErrors = new List<string>();
        long bytes = 0;

        foreach (var item in FileTree.Walk(root, name => GrepJobKind.MatchesAnyGlob(globs, name), cancellationToken))
        {
            if (item is TreeError error)
            {
                walkErrors.Add($"{error.DisplayPath}: {error.Message}");
                continue;
            }

            var file = (FileEntry)item;
            if (file.Length > tuning.RangeBytes)
            {
                // A large file is searched in ranges, each a task of its own.
                if (segments.Count > 0) yield return Flush();
                var part = 0;
                for (long start = 0; start < file.Length; start += tuning.RangeBytes)
                {
                    segments.Add(new GrepSegment(file.FullPath, file.DisplayPath, start, Math.Min(file.Length, start + tuning.RangeBytes), part++));
                    yield return Flush();
                }
                continue;
            }
            if (segments.Count > 0 && bytes + file.Length > tuning.MaxBytes)
                yield return Flush();
            segments.Add(new GrepSegment(file.FullPath, file.DisplayPath, 0, -1, 0));
            bytes += file.Length;
            if (segments.Count >= tuning.MaxFiles || bytes >= tuning.MaxBytes)
                yield return Flush();
        }

        if (segments.Count > 0 || walkErrors.Count > 0)
            yield return Flush();

        ReadOnlyMemory<byte> Flush()
        {
            var task = new GrepTask([.. segments], [.. walkErrors]);
            segments.Clear();
            walkErrors.Clear();
            bytes = 0;
            return task.Encode();
        }
    }

    public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context)
    {
        var batch = GrepTask.Decode(task.Span);
        var results = new List<GrepSegmentResult>(batch.Segments.Count);
        foreach (var segment in batch.Segments)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var result = Search(segment, context.CancellationToken);
            results.Add(result);
            if (segment.Part == 0) context.Report("files", 1);
            if (result.Matches > 0) context.Report("matches", result.Matches);
        }
        return ValueTask.FromResult(new GrepResult(results, batch.WalkErrors).Encode());
    }

    public IJobReducer CreateReducer() => new GrepReducer();

    private GrepSegmentResult Search(GrepSegment segment, CancellationToken cancellationToken)
    {
        var found = new List<GrepMatch>();
        long lines = 0, matches = 0;
        var binary = false;
        string? error = null;
        try
        {
            // Size 0 has no lines; not opening such files also keeps a FIFO or device in the tree from blocking the task.
            if (new FileInfo(segment.Path).Length == 0)
                return new GrepSegmentResult(segment.Path, segment.Display, segment.Part, segment.WholeFile, 0, false, 0, [], null);
            using var stream = new FileStream(segment.Path, FileMode.Open, FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            var head = new byte[BinaryProbeBytes];
            binary = head.AsSpan(0, stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)).Contains((byte)0);

            var start = segment.WholeFile ? 0 : FirstLineStart(stream, segment.Start, segment.End);
            var end = segment.WholeFile ? long.MaxValue : segment.End;
            stream.Position = start;
            var reader = new ByteLineReader(stream, start, MaxLineBytes);
            while (reader.NextLineStart < end)
            {
                var lineStart = reader.NextLineStart;
                if (!reader.TryReadLine(out var bytes, out var tooLong))
                    break;
                var local = lines++;
                if (lines % LinesBetweenCancellationChecks == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                if (tooLong)
                {
                    error ??= $"line {(segment.WholeFile ? (local + 1).ToString(CultureInfo.InvariantCulture) : "?")} is longer than {MaxLineBytes / (1 << 20)} MiB and was not searched";
                    continue;
                }
                if (lineStart == 0 && bytes.StartsWith("\uFEFF"u8))
                    bytes = bytes[3..];
                binary |= !Utf8.IsValid(bytes);
                var text = Encoding.UTF8.GetString(bytes);
                if (!regex.IsMatch(text))
                    continue;
                matches++;
                if (!binary) found.Add(new GrepMatch(local, Cut(text)));
            }
        }
        catch (RegexMatchTimeoutException)
        {
            error = $"the pattern took longer than {GrepJobKind.MatchTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s on a line; the rest of {(segment.WholeFile ? "the file" : "this part of the file")} was skipped";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            error = e.Message;
        }
        return new GrepSegmentResult(segment.Path, segment.Display, segment.Part, segment.WholeFile, lines, binary, matches,
            binary ? [] : found, error);
    }

    /// <summary>Cuts a long line to <see cref="MaxTextLength"/> characters, never between the two halves of a surrogate pair.</summary>
    internal static string Cut(string text)
    {
        if (text.Length <= MaxTextLength) return text;
        var length = char.IsHighSurrogate(text[MaxTextLength - 1]) ? MaxTextLength - 1 : MaxTextLength;
        return string.Concat(text.AsSpan(0, length), "…");
    }

    /// <summary>The offset of the first line that starts in [start, end), or <paramref name="end"/> when none does.</summary>
    private static long FirstLineStart(FileStream stream, long start, long end)
    {
        if (start == 0)
            return 0;
        // A line starts at p when the byte at p − 1 is '\n'; look only at bytes [start − 1, end − 1).
        stream.Position = start - 1;
        var buffer = new byte[(int)Math.Min(1 << 16, end - start + 1)];
        var position = start - 1;
        while (position < end - 1)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, end - 1 - position));
            if (read == 0)
                return end;
            var newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
                return position + newline + 1;
            position += read;
        }
        return end;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Grep;

/// <summary>A prepared grep: tasks are batches of files in the tree's stable order; each task reports its matching lines.</summary>
internal sealed class GrepJob(Regex regex, string root, IReadOnlyList<string> globs, GrepTuning tuning) : IPreparedJob
{
    /// <summary>Longer matching lines are cut to this many characters (and end in …), so one minified file cannot flood the result.</summary>
    internal const int MaxTextLength = 1000;

    private const int BinaryProbeBytes = 8192;
    private const int LinesBetweenCancellationChecks = 4096;

    public IReadOnlyDictionary<string, int> ResourcesPerTask => NoResources.Instance;

    public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
    {
        var files = new List<GrepFile>();
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
            if (files.Count > 0 && bytes + file.Length > tuning.MaxBytes)
                yield return Flush();
            files.Add(new GrepFile(file.FullPath, file.DisplayPath));
            bytes += file.Length;
            if (files.Count >= tuning.MaxFiles || bytes >= tuning.MaxBytes)
                yield return Flush();
        }

        if (files.Count > 0 || walkErrors.Count > 0)
            yield return Flush();

        ReadOnlyMemory<byte> Flush()
        {
            var task = new GrepTask([.. files], [.. walkErrors]);
            files.Clear();
            walkErrors.Clear();
            bytes = 0;
            return JsonSerializer.SerializeToUtf8Bytes(task, GrepJsonContext.Default.GrepTask);
        }
    }

    public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context)
    {
        var batch = JsonPayload.Decode(task.Span, GrepJsonContext.Default.GrepTask, "grep task");
        var lines = new List<string>();
        var errors = new List<string>(batch.WalkErrors);
        long files = 0, matches = 0, binary = 0;

        foreach (var file in batch.Files)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var found = SearchFile(file, lines, errors, ref binary, context.CancellationToken);
            files++;
            matches += found;
            context.Report("files", 1);
            if (found > 0)
                context.Report("matches", found);
        }

        var result = new GrepResult(lines, files, matches, binary, errors);
        return ValueTask.FromResult<ReadOnlyMemory<byte>>(JsonSerializer.SerializeToUtf8Bytes(result, GrepJsonContext.Default.GrepResult));
    }

    public IJobReducer CreateReducer() => new GrepReducer();

    /// <summary>Adds the file's matching lines to <paramref name="lines"/> and returns how many; a file that cannot be read becomes an error line.</summary>
    private long SearchFile(GrepFile file, List<string> lines, List<string> errors, ref long binary, CancellationToken cancellationToken)
    {
        long found = 0;
        long lineNumber = 0;
        try
        {
            // Size 0 has no lines; not opening such files also keeps a FIFO or device in the tree from blocking the task.
            if (new FileInfo(file.Path).Length == 0)
                return 0;
            using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            var head = new byte[BinaryProbeBytes];
            var headLength = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (head.AsSpan(0, headLength).Contains((byte)0))
            {
                binary++;
                return 0;
            }
            stream.Position = 0;

            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                if (lineNumber % LinesBetweenCancellationChecks == 0)
                    cancellationToken.ThrowIfCancellationRequested();
                if (!regex.IsMatch(line))
                    continue;
                found++;
                var text = line.Length <= MaxTextLength ? line : string.Concat(line.AsSpan(0, MaxTextLength), "…");
                lines.Add($"{file.Display}:{lineNumber.ToString(CultureInfo.InvariantCulture)}:{text}");
            }
        }
        catch (RegexMatchTimeoutException)
        {
            errors.Add($"{file.Display}:{lineNumber.ToString(CultureInfo.InvariantCulture)}: the pattern took longer than {GrepJobKind.MatchTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s on this line; the rest of the file was skipped");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            errors.Add($"{file.Display}: {e.Message}");
        }
        return found;
    }
}

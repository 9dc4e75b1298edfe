using System.Text.Json;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.WordCount;

/// <summary>A prepared wordcount: small files batched, large files cut into byte ranges whose edges move forward to word boundaries.</summary>
/// <remarks>
/// A range edge x moves to the first offset p ≥ x whose previous byte is an ASCII byte that is not part of
/// a word (a space, a line break, punctuation). An ASCII byte is always a whole character in UTF-8, even
/// among invalid bytes, so decoding from p agrees with decoding from the file's start, and no word spans
/// p. Neighbouring tasks move their shared edge to the same p, so each word is counted exactly once.
/// </remarks>
internal sealed class WordCountJob(IReadOnlyList<string> paths, int top, WordCountTuning tuning) : IPreparedJob
{
    private const int BufferBytes = 1 << 16;

    public IReadOnlyDictionary<string, int> ResourcesPerTask => NoResources.Instance;

    public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
    {
        var segments = new List<WordCountSegment>();
        var walkErrors = new List<string>();
        long bytes = 0;

        foreach (var path in paths)
        {
            foreach (var item in FileTree.Walk(path, _ => true, cancellationToken))
            {
                if (item is TreeError error)
                {
                    walkErrors.Add($"{error.DisplayPath}: {error.Message}");
                    continue;
                }

                var file = (FileEntry)item;
                if (file.Length > tuning.ChunkBytes)
                {
                    if (segments.Count > 0 || walkErrors.Count > 0)
                        yield return Flush();
                    for (long start = 0; start < file.Length; start += tuning.ChunkBytes)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var end = start + tuning.ChunkBytes >= file.Length ? -1 : start + tuning.ChunkBytes;
                        segments.Add(new WordCountSegment(file.FullPath, file.DisplayPath, start, end));
                        yield return Flush();
                    }
                    continue;
                }

                if (segments.Count > 0 && bytes + file.Length > tuning.ChunkBytes)
                    yield return Flush();
                segments.Add(new WordCountSegment(file.FullPath, file.DisplayPath, 0, -1));
                bytes += file.Length;
                if (segments.Count >= tuning.MaxFiles)
                    yield return Flush();
            }
        }

        if (segments.Count > 0 || walkErrors.Count > 0)
            yield return Flush();

        ReadOnlyMemory<byte> Flush()
        {
            var task = new WordCountTask([.. segments], [.. walkErrors]);
            segments.Clear();
            walkErrors.Clear();
            bytes = 0;
            return JsonSerializer.SerializeToUtf8Bytes(task, WordCountJsonContext.Default.WordCountTask);
        }
    }

    public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context)
    {
        var batch = JsonPayload.Decode(task.Span, WordCountJsonContext.Default.WordCountTask, "wordcount task");
        var scanner = new WordScanner();
        var errors = new List<string>(batch.WalkErrors);
        long files = 0;
        // Ranges of a few bytes (tiny chunks) need no 64 KiB buffer each.
        var longest = batch.Segments.Count == 0 ? 0 : batch.Segments.Max(s => s.End < 0 ? BufferBytes : s.End - s.Start);
        var buffer = new byte[Math.Clamp(longest + 64, 256, BufferBytes)];

        foreach (var segment in batch.Segments)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var wordsBefore = scanner.Words;
            try
            {
                CountSegment(segment, scanner, buffer, context.CancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                scanner.DiscardWord();
                errors.Add($"{segment.Display}: {e.Message}");
            }
            if (segment.Start == 0)
            {
                files++;
                context.Report("files", 1);
            }
            context.Report("words", scanner.Words - wordsBefore);
        }

        return ValueTask.FromResult(new WordCountResult(files, scanner.Words, errors, scanner.Counts).Encode());
    }

    public IJobReducer CreateReducer() => new WordCountReducer(top);

    private static void CountSegment(WordCountSegment segment, WordScanner scanner, byte[] buffer, CancellationToken cancellationToken)
    {
        // Size 0 has no words; not opening such files also keeps a FIFO or device in the tree from blocking the task.
        if (new FileInfo(segment.Path).Length == 0)
            return;
        using var stream = new FileStream(segment.Path, FileMode.Open, FileAccess.Read,
            FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        var length = stream.Length;
        var start = WordBoundaryAtOrAfter(stream, segment.Start, length, buffer);
        var end = segment.End < 0 ? length : WordBoundaryAtOrAfter(stream, segment.End, length, buffer);
        if (start >= end)
            return;

        stream.Position = start;
        var position = start;
        var kept = 0;
        while (position < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = stream.Read(buffer, kept, (int)Math.Min(buffer.Length - kept, end - position));
            if (read == 0)
                break;
            position += read;
            var available = kept + read;
            var used = scanner.Scan(buffer.AsSpan(0, available), final: false);
            kept = available - used;
            buffer.AsSpan(used, kept).CopyTo(buffer);
        }
        scanner.Scan(buffer.AsSpan(0, kept), final: true);
    }

    /// <summary>The first offset p ≥ <paramref name="offset"/> where a word cannot continue from before: 0, the end, or right after an ASCII non-word byte.</summary>
    private static long WordBoundaryAtOrAfter(FileStream stream, long offset, long length, byte[] buffer)
    {
        if (offset <= 0)
            return 0;
        if (offset >= length)
            return length;
        stream.Position = offset - 1;
        var position = offset - 1;
        while (true)
        {
            var read = stream.Read(buffer, 0, buffer.Length);
            if (read == 0)
                return length;
            for (var i = 0; i < read; i++)
            {
                var b = buffer[i];
                if (b < 0x80 && !WordScanner.IsAsciiWordByte(b))
                    return position + i + 1;
            }
            position += read;
        }
    }
}

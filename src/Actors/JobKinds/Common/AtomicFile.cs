namespace ActorTasks.Tasks.JobKinds.Common;

/// <summary>Writes a file so that readers see either nothing or the whole of it: a temporary file beside it, then a rename.</summary>
/// <remarks>
/// The temporary file's name is fixed per target (<c>.NAME.partial</c>), so a task that runs again after its worker was
/// killed mid-write overwrites what that worker left and renames it away. It is opened exclusively (an advisory lock
/// on Linux), so two runs of one task at the same moment cannot interleave their bytes: the second fails and is retried.
/// The rename is atomic against a killed process; nothing is flushed to the disk first, so a power cut may leave an
/// empty file.
/// </remarks>
internal static class AtomicFile
{
    /// <summary>Bytes written between two looks at the cancellation token.</summary>
    internal const int ChunkBytes = 1 << 20;

    /// <summary>The temporary file a write of <paramref name="path"/> goes through.</summary>
    public static string TemporaryPath(string path) =>
        Path.Join(Path.GetDirectoryName(path), "." + Path.GetFileName(path) + ".partial");

    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/>, creating its folder; a cancel (or any failure) on the
    /// way leaves no file behind. <paramref name="written"/> is told the bytes written after each chunk.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes, CancellationToken cancellationToken, Action<long>? written = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = TemporaryPath(path);
        // Opened before the try: a file another run holds is not ours to delete.
        var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        try
        {
            using (stream)
            {
                for (var offset = 0; offset < bytes.Length; offset += ChunkBytes)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var chunk = bytes.Slice(offset, Math.Min(ChunkBytes, bytes.Length - offset));
                    stream.Write(chunk);
                    written?.Invoke(offset + chunk.Length);
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write's own error is the one to report.
        }
    }
}

using System.Diagnostics;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.JobKinds.Common;
using SkiaSharp;

namespace ActorTasks.Tasks.JobKinds.Images;

/// <summary>
/// A prepared images job: a task per image under SRC, each read, transformed and written to OUT at the same relative
/// path with the new extension, through a temporary file and a rename, while holding one permit of the <c>disk</c> resource.
/// </summary>
internal sealed class ImagesJob(ImageRecipe recipe, string source, string output, IReadOnlyList<string> globs) : IPreparedJob
{
    private static readonly IReadOnlyDictionary<string, int> Disk = new Dictionary<string, int> { [TaskSystemSettings.DiskResource] = 1 };

    public IReadOnlyDictionary<string, int> ResourcesPerTask => Disk;

    public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
    {
        var sourceIsFile = File.Exists(source);
        // Two inputs that differ only in their extension (a.jpg, a.png) would write one output: the second one fails.
        var writers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in FileTree.Walk(source, name => ImagesJobKind.MatchesAnyGlob(globs, name), cancellationToken))
        {
            if (item is TreeError error)
            {
                yield return new ImageTask(error.DisplayPath, "", $"{error.DisplayPath}: cannot be read: {error.Message}").Encode();
                continue;
            }
            var file = (FileEntry)item;
            var relative = (sourceIsFile ? Path.GetFileName(file.FullPath) : Path.GetRelativePath(source, file.FullPath)).Replace('\\', '/');
            var target = OutputOf(relative);
            if (writers.TryGetValue(target, out var first))
            {
                yield return new ImageTask(file.FullPath, relative, $"{file.FullPath}: its output {target} is already written from {first}").Encode();
                continue;
            }
            writers.Add(target, relative);
            yield return new ImageTask(file.FullPath, relative, null).Encode();
        }
    }

    public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> payload, TaskContext context)
    {
        var task = ImageTask.Decode(payload.Span);
        if (task.Problem is not null) throw new TaskInputException(task.Problem);
        var cancellationToken = context.CancellationToken;
        var started = Stopwatch.GetTimestamp();

        using var input = Read(task.Source);
        using var image = ImageTransform.Apply(input, recipe, task.Source, cancellationToken);
        var target = OutputOf(task.Relative);
        AtomicFile.Write(Path.Join(output, target), image.Encoded.AsSpan(), cancellationToken);

        var elapsed = Stopwatch.GetElapsedTime(started);
        context.Report("images", 1);
        context.Report("bytes in", input.Size);
        context.Report("bytes out", image.Encoded.Size);
        return ValueTask.FromResult(new ImageResult(task.Relative, target, input.Size, image.Encoded.Size,
            image.InputWidth, image.InputHeight, image.Width, image.Height, elapsed).Encode());
    }

    public IJobReducer CreateReducer() => new ImagesReducer();

    private string OutputOf(string relative) => Path.ChangeExtension(relative, recipe.Extension);

    /// <summary>The file's bytes in Skia's memory (read, not mapped: a file cut short while mapped would crash the node).</summary>
    private static SKData Read(string path)
    {
        try
        {
            // Size 0 is never opened, so a FIFO in the tree cannot block the task.
            var length = new FileInfo(path).Length;
            if (length == 0) throw new TaskInputException($"{path}: an empty file is not an image");
            if (length > int.MaxValue) throw new TaskInputException($"{path}: {length:N0} bytes is larger than an image may be (2 GiB)");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            return SKData.Create(stream, length) ?? throw new IOException($"{path}: could not read {length:N0} bytes");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            // Gone, or not ours to read: another attempt would fail the same way.
            throw new TaskInputException($"{path}: {e.Message}", e);
        }
    }
}

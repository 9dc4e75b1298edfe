using ActorTasks.Tasks.JobKinds.Common;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds.Images;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_write_cancelled_midway_leaves_nothing_behind()
    {
        var target = Path.Combine(_temp.Path, "out", "big.png");
        var bytes = new byte[3 * AtomicFile.ChunkBytes + 5];
        using var cancel = new CancellationTokenSource();
        var seen = new List<long>();

        Assert.Throws<OperationCanceledException>(() => AtomicFile.Write(target, bytes, cancel.Token, written =>
        {
            seen.Add(written);
            // The temporary file is there, partly written, and the target is not: then the task is cancelled.
            Assert.True(File.Exists(AtomicFile.TemporaryPath(target)));
            Assert.False(File.Exists(target));
            cancel.Cancel();
        }));

        Assert.Equal([AtomicFile.ChunkBytes], seen);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_temp.Path, "out")));
    }

    [Fact]
    public void A_complete_write_replaces_the_file_and_what_a_killed_writer_left()
    {
        var target = _temp.Write("out/a.png", "old");
        File.WriteAllText(AtomicFile.TemporaryPath(target), "half of something");

        AtomicFile.Write(target, "new"u8, CancellationToken.None);

        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal([target], Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(target)!));
    }

    [Fact]
    public void A_second_writer_of_the_same_file_at_the_same_moment_fails_without_touching_the_first()
    {
        var target = Path.Combine(_temp.Path, "a.png");
        using var first = new FileStream(AtomicFile.TemporaryPath(target), FileMode.Create, FileAccess.Write, FileShare.None);

        Assert.Throws<IOException>(() => AtomicFile.Write(target, "second"u8, CancellationToken.None));

        Assert.True(File.Exists(AtomicFile.TemporaryPath(target)));
        Assert.False(File.Exists(target));
    }
}

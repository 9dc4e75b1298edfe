using ActorTasks.Node.Jobs;
using Xunit;

namespace ActorTasks.Node.Tests.Jobs;

public sealed class JobOutputWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("actortasks-out-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void An_out_file_in_an_existing_folder_is_accepted_as_its_full_path()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(_folder, "result.txt"));
        Assert.Equal(Path.Combine(_folder, "result.txt"), JobOutputWriter.CheckOutFile(relative));
        Assert.False(File.Exists(Path.Combine(_folder, "result.txt")));
    }

    [Fact]
    public void An_out_file_in_a_missing_folder_is_refused_before_anything_is_submitted()
    {
        var missing = Path.Combine(_folder, "nonexistent", "x");
        var error = Assert.Throws<ArgumentException>(() => JobOutputWriter.CheckOutFile(missing));
        Assert.Equal($"--out: the folder {Path.Combine(_folder, "nonexistent")} does not exist", error.Message);
    }

    [Fact]
    public void An_out_that_is_a_folder_is_refused() =>
        Assert.Equal($"--out: {_folder} is a folder; name a file", Assert.Throws<ArgumentException>(() => JobOutputWriter.CheckOutFile(_folder)).Message);

    [Fact]
    public void An_out_that_is_no_file_name_at_all_is_refused_naming_it() =>
        Assert.StartsWith("--out: 'a\0b' is not a usable file name", Assert.Throws<ArgumentException>(() => JobOutputWriter.CheckOutFile("a\0b")).Message);
}

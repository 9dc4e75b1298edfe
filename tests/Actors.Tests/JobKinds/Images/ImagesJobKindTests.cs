using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.Images;
using SkiaSharp;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds.Images;

public sealed class ImagesJobKindTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _src;
    private readonly string _out;

    public ImagesJobKindTests()
    {
        _src = Path.Combine(_temp.Path, "photos");
        _out = Path.Combine(_temp.Path, "out");
        _temp.Write("photos/a.jpg", TestImages.Jpeg(320, 240));
        _temp.Write("photos/trip/b.png", TestImages.Png(200, 400));
        _temp.Write("photos/trip/day 2/C.JPG", TestImages.WithExifOrientation(TestImages.Jpeg(300, 100), 6));
        _temp.Write("photos/trip/notes.txt", "not an image, and not a *.jpg either");
        _temp.Write("photos/bad.jpg", "a text file named like a photo");
        var whole = TestImages.Jpeg(320, 240);
        _temp.Write("photos/cut.jpg", whole[..(whole.Length / 2)]);
    }

    public void Dispose() => _temp.Dispose();

    private static IPreparedJob Prepare(params string[] arguments) => new ImagesJobKind().Prepare(arguments);

    /// <summary>Every task processed and reduced in a shuffled order; bad input is collected as the task system would list it.</summary>
    private static async Task<(JobOutput Output, List<string> Failures)> RunAsync(IPreparedJob job)
    {
        var context = new TaskContext(CancellationToken.None);
        var results = new List<(long, ReadOnlyMemory<byte>)>();
        var failures = new List<string>();
        long index = 0;
        foreach (var task in job.Split(CancellationToken.None))
        {
            var i = index++;
            try
            {
                results.Add((i, await job.ProcessAsync(task, context)));
            }
            catch (TaskInputException e)
            {
                failures.Add(e.Message);
            }
        }
        var shuffled = results.ToArray();
        new Random(3).Shuffle(shuffled);
        var reducer = job.CreateReducer();
        foreach (var (i, result) in shuffled) reducer.Add(i, result);
        return (reducer.Complete(), failures);
    }

    private List<string> FilesUnder(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Writes_every_image_under_out_at_its_relative_path_with_the_new_extension_and_lists_the_bad_ones()
    {
        var job = Prepare(_src, _out, "--max-side", "100", "--brightness", "1.2");

        var (output, failures) = await RunAsync(job);

        Assert.Equal(["a.png", "trip/b.png", "trip/day 2/C.png"], FilesUnder(_out));
        Assert.Equal((SKEncodedImageFormat.Png, 100, 75), TestImages.Describe(Path.Combine(_out, "a.png")));
        Assert.Equal((SKEncodedImageFormat.Png, 50, 100), TestImages.Describe(Path.Combine(_out, "trip/b.png")));
        Assert.Equal((SKEncodedImageFormat.Png, 33, 100), TestImages.Describe(Path.Combine(_out, "trip/day 2/C.png")));
        Assert.Equal("3", output.Get("images written"));
        Assert.Equal(new[] { "a.jpg", "bad.jpg", "cut.jpg", "trip/b.png", "trip/day 2/C.JPG" }.Sum(f => new FileInfo(Path.Combine(_src, f)).Length)
            - new FileInfo(Path.Combine(_src, "bad.jpg")).Length - new FileInfo(Path.Combine(_src, "cut.jpg")).Length,
            long.Parse(output.Get("bytes in")));
        Assert.Equal(FilesUnder(_out).Sum(f => new FileInfo(Path.Combine(_out, f)).Length), long.Parse(output.Get("bytes out")));
        Assert.True(double.Parse(output.Get("median ms per image"), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(output.Get("p95 ms per image"), System.Globalization.CultureInfo.InvariantCulture)
            >= double.Parse(output.Get("median ms per image"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Collection(output.Lines,
            l => Assert.StartsWith("a.jpg -> a.png  320x240 -> 100x75  ", l),
            l => Assert.StartsWith("trip/b.png -> trip/b.png  200x400 -> 50x100  ", l),
            l => Assert.StartsWith("trip/day 2/C.JPG -> trip/day 2/C.png  100x300 -> 33x100  ", l));
        Assert.Collection(failures,
            f => Assert.StartsWith(Path.Combine(_src, "bad.jpg") + ": not an image", f),
            f => Assert.Equal(Path.Combine(_src, "cut.jpg") + ": the image is truncated (decoder: IncompleteInput)", f));
    }

    [Fact]
    public async Task A_glob_picks_the_files_ignoring_case_and_a_single_file_is_a_source_too()
    {
        await RunAsync(Prepare(_src, _out, "--glob", "*.jpg", "--format", "jpeg", "--quality", "80"));
        Assert.Equal(["a.jpg", "trip/day 2/C.jpg"], FilesUnder(_out));

        var single = Path.Combine(_temp.Path, "single");
        var (output, _) = await RunAsync(Prepare(Path.Combine(_src, "trip/b.png"), single, "--format", "webp", "--resize", "20x10"));
        Assert.Equal(["b.webp"], FilesUnder(single));
        Assert.Equal((SKEncodedImageFormat.Webp, 20, 10), TestImages.Describe(Path.Combine(single, "b.webp")));
        Assert.Equal("1", output.Get("images written"));
    }

    [Fact]
    public async Task Two_inputs_for_one_output_write_it_once_and_the_second_fails_naming_both()
    {
        _temp.Write("photos/a.png", TestImages.Png(10, 10));

        var (output, failures) = await RunAsync(Prepare(_src, _out, "--glob", "a.*"));

        Assert.Equal(["a.png"], FilesUnder(_out));
        Assert.Equal((SKEncodedImageFormat.Png, 320, 240), TestImages.Describe(Path.Combine(_out, "a.png")));
        Assert.Equal($"{Path.Combine(_src, "a.png")}: its output a.png is already written from a.jpg", Assert.Single(failures));
        Assert.Equal("1", output.Get("images written"));
    }

    [Fact]
    public async Task A_task_run_twice_writes_the_same_file_and_leaves_no_temporary_file()
    {
        var job = Prepare(_src, _out, "--glob", "a.jpg");
        var task = Assert.Single(job.Split(CancellationToken.None));
        var target = Path.Combine(_out, "a.png");
        // What a worker killed in the middle of a write leaves behind.
        Directory.CreateDirectory(_out);
        File.WriteAllText(Path.Combine(_out, ".a.png.partial"), "half an image");

        await job.ProcessAsync(task, new TaskContext(CancellationToken.None));
        var first = File.ReadAllBytes(target);
        await job.ProcessAsync(task, new TaskContext(CancellationToken.None));

        Assert.Equal(first, File.ReadAllBytes(target));
        Assert.Equal(["a.png"], FilesUnder(_out));
    }

    [Fact]
    public void Each_task_holds_one_permit_of_disk_and_progress_counts_images_and_bytes()
    {
        var job = Prepare(_src, _out, "--glob", "a.jpg");
        Assert.Equal(new Dictionary<string, int> { ["disk"] = 1 }, job.ResourcesPerTask);

        var counters = new Dictionary<string, long>();
        job.ProcessAsync(job.Split(CancellationToken.None).Single(), new TaskContext(CancellationToken.None, (k, v) => counters[k] = counters.GetValueOrDefault(k) + v));
        Assert.Equal(1, counters["images"]);
        Assert.Equal(new FileInfo(Path.Combine(_src, "a.jpg")).Length, counters["bytes in"]);
        Assert.Equal(new FileInfo(Path.Combine(_out, "a.png")).Length, counters["bytes out"]);
    }

    [Theory]
    [InlineData("--resize", "0x10", "--resize: '0x10': width and height must each be between 1 and 32768")]
    [InlineData("--resize", "abc", "--resize: 'abc' is not WIDTHxHEIGHT, e.g. 800x450")]
    [InlineData("--resize", "800x", "--resize: '800x' is not WIDTHxHEIGHT, e.g. 800x450")]
    [InlineData("--resize", "-5x10", "--resize: '-5x10' is not WIDTHxHEIGHT, e.g. 800x450")]
    [InlineData("--resize", "20000x20000", "--resize: 20000x20000 is more than the 100,000,000 pixels an image may have (--max-pixels)")]
    [InlineData("--max-side", "0", "--max-side: 0 is out of range; it must be between 1 and 32768")]
    [InlineData("--brightness", "bright", "--brightness: 'bright' is not a number (1 keeps the image as it is, 1.2 brightens by 20 %)")]
    [InlineData("--brightness", "-1", "--brightness: -1 is out of range; it must be between 0 and 100")]
    [InlineData("--format", "gif", "--format: 'gif' is not one of png, jpeg, webp")]
    [InlineData("--quality", "90", "--quality: applies to jpeg and webp; png is lossless")]
    [InlineData("--glob", "trip/*.png", "--glob: 'trip/*.png' must be a non-empty file-name pattern (* and ?), without a directory part")]
    [InlineData("--keep-aspect", null, "--keep-aspect: goes with --resize WxH (--max-side always keeps the aspect ratio)")]
    public void A_bad_option_is_refused_naming_it_and_nothing_is_written(string option, string? value, string message)
    {
        string[] arguments = value is null ? [_src, _out, option] : [_src, _out, option, value];

        var e = Assert.Throws<JobArgumentException>(() => Prepare(arguments));

        Assert.Equal((option, message), (e.Argument, e.Message));
        Assert.False(Directory.Exists(_out));
    }

    [Fact]
    public void Resize_and_max_side_together_are_refused()
    {
        var e = Assert.Throws<JobArgumentException>(() => Prepare(_src, _out, "--resize", "10x10", "--max-side", "5"));
        Assert.Equal("--max-side", e.Argument);
    }

    [Fact]
    public void A_missing_src_is_refused_naming_src()
    {
        var e = Assert.Throws<JobArgumentException>(() => Prepare(Path.Combine(_temp.Path, "nowhere"), _out));
        Assert.Equal(("SRC", $"SRC: no such file or directory: '{Path.Combine(_temp.Path, "nowhere")}'"), (e.Argument, e.Message));
    }

    [Fact]
    public void Out_inside_src_or_around_it_is_refused_naming_out_and_nothing_is_created()
    {
        var inside = Path.Combine(_src, "trip", "resized");
        var e = Assert.Throws<JobArgumentException>(() => Prepare(_src, inside));
        Assert.Equal(("OUT", $"OUT: '{inside}' is inside SRC '{_src}': the job would read the images it writes"), (e.Argument, e.Message));
        Assert.False(Directory.Exists(inside));

        Assert.Equal("OUT", Assert.Throws<JobArgumentException>(() => Prepare(_src, _src)).Argument);
        Assert.Contains("contains SRC", Assert.Throws<JobArgumentException>(() => Prepare(Path.Combine(_src, "trip"), _src)).Message);

        // Through a link to SRC, OUT is still inside it.
        var link = Path.Combine(_temp.Path, "link");
        Directory.CreateSymbolicLink(link, _src);
        Assert.Contains("is inside SRC", Assert.Throws<JobArgumentException>(() => Prepare(_src, Path.Combine(link, "out"))).Message);

        // A single file may be written beside itself, but not over itself.
        Prepare(Path.Combine(_src, "a.jpg"), _src);
        Assert.Contains("would overwrite SRC", Assert.Throws<JobArgumentException>(() => Prepare(Path.Combine(_src, "trip/b.png"), Path.Combine(_src, "trip"))).Message);
    }

    [Fact]
    public void An_out_that_cannot_be_written_is_refused_naming_out()
    {
        // Root may write anywhere a mode allows; /proc refuses even root, and a file cannot hold a folder.
        var proc = Assert.Throws<JobArgumentException>(() => Prepare(_src, "/proc/actortasks-images-test"));
        Assert.Equal("OUT", proc.Argument);
        Assert.StartsWith("OUT: '/proc/actortasks-images-test' is not a folder this node can write to: ", proc.Message);

        var file = _temp.Write("a-file", "x");
        Assert.Equal("OUT", Assert.Throws<JobArgumentException>(() => Prepare(_src, file)).Argument);
        Assert.Equal("OUT", Assert.Throws<JobArgumentException>(() => Prepare(_src, Path.Combine(file, "below"))).Argument);
    }

    [Fact]
    public void Src_and_out_are_made_absolute_where_the_job_is_submitted()
    {
        var resolved = new ImagesJobKind().ResolvePaths(["photos", "--format", "jpeg", "out", "--glob", "*.jpg"], "/home/me");
        Assert.Equal(["/home/me/photos", "--format", "jpeg", "/home/me/out", "--glob", "*.jpg"], resolved);
    }
}

using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.Download;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds.Download;

/// <summary>The download kind's arguments and URLs file: what is refused at submit, naming the argument, the file and the line.</summary>
public sealed class DownloadJobKindTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DownloadJobKind _kind = new();

    public void Dispose() => _dir.Dispose();

    private string Urls(params string[] lines) => _dir.Write("urls.txt", string.Join("\n", lines) + "\n");

    private JobArgumentException Refused(params string[] arguments) => Assert.Throws<JobArgumentException>(() => _kind.Prepare(arguments));

    private string Out => Path.Combine(_dir.Path, "out");

    [Theory]
    [InlineData("ftp://example.org/a.bin", "'ftp://example.org/a.bin' is not an absolute http or https URL")]
    [InlineData("file:///etc/passwd", "'file:///etc/passwd' is not an absolute http or https URL")]
    [InlineData("example.org/a.bin", "'example.org/a.bin' is not an absolute http or https URL")]
    [InlineData("/a.bin", "'/a.bin' is not an absolute http or https URL")]
    [InlineData("https://example.org/data/", "names no file (its path ends in '/'); put a target path after the URL")]
    [InlineData("https://example.org/a.bin x y", "expected a URL and at most a target path after it, but found 3 words")]
    [InlineData("https://example.org/a.bin /etc/a.bin", "the target '/etc/a.bin' is absolute")]
    [InlineData("https://example.org/a.bin ../a.bin", "the target '../a.bin' is not a usable relative path")]
    [InlineData("https://example.org/a.bin a//b", "the target 'a//b' is not a usable relative path")]
    [InlineData("https://example.org/a%2Fb", "ends in 'a/b', which is not a usable file name")]
    [InlineData("https://example.org/a%09b.bin", "ends in 'a\tb.bin', which is not a usable file name")]
    public void A_bad_line_is_refused_at_submit_with_the_file_and_its_line_number(string line, string reason)
    {
        var urls = Urls("# mirrors", "", "https://example.org/ok.bin", line);

        var error = Refused(urls, Out);

        Assert.Equal("URLS_FILE", error.Argument);
        Assert.Equal($"URLS_FILE: {urls}: line 4: ", error.Message[..($"URLS_FILE: {urls}: line 4: ".Length)]);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_url_longer_than_the_limit_is_refused()
    {
        var error = Refused(Urls("https://example.org/" + new string('a', UrlList.MaxUrlLength)), Out);
        Assert.Contains("line 1: the URL is 8,212 characters long", error.Message);
    }

    [Fact]
    public void Two_urls_with_the_same_target_are_refused_naming_both_lines()
    {
        var urls = Urls("https://a.example/x/data.csv", "# a comment", "https://b.example/y/data.csv");
        Assert.Contains("line 3: the target 'data.csv' is also the target of line 1", Refused(urls, Out).Message);

        var explicitTargets = Urls("https://a.example/1.csv data.csv", "https://b.example/data.csv");
        Assert.Contains("line 2: the target 'data.csv' is also the target of line 1", Refused(explicitTargets, Out).Message);
    }

    [Fact]
    public void A_target_that_would_need_another_target_as_its_folder_is_refused()
    {
        Assert.Contains("line 2: the target 'a/b.csv' needs a folder 'a', which is the target of line 1",
            Refused(Urls("https://x.example/a", "https://x.example/q a/b.csv"), Out).Message);
        Assert.Contains("line 2: the target 'a' is a folder of the target of line 1",
            Refused(Urls("https://x.example/q a/b.csv", "https://x.example/a"), Out).Message);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_with_their_line()
    {
        var urls = _dir.Write("urls.txt", [.. "https://example.org/a\n"u8, 0xFF, 0xFE, (byte)'\n']);
        Assert.Contains($"{urls}: line 2: the line is not UTF-8 text", Refused(urls, Out).Message);
    }

    [Theory]
    [InlineData("--per-host", "0", "0 is out of range; it must be between 1 and 1000")]
    [InlineData("--retries", "-1", "-1 is out of range")]
    [InlineData("--timeout", "soon", "'soon' is not a duration")]
    [InlineData("--timeout", "30", "'30' is not a duration")]
    [InlineData("--timeout", "10ms", "10ms is out of range; it must be between 100ms and 3600s")]
    [InlineData("--max-bytes", "1XB", "'1XB' is not a size")]
    [InlineData("--max-bytes", "0", "0 is out of range")]
    public void A_bad_option_is_refused_naming_it(string option, string value, string reason)
    {
        var error = Refused(Urls("https://example.org/a.bin"), Out, option, value);
        Assert.Equal(option, error.Argument);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Missing_files_and_an_out_that_is_a_file_are_refused()
    {
        Assert.Equal("URLS_FILE", Refused(Path.Combine(_dir.Path, "missing.txt"), Out).Argument);
        var file = _dir.Write("file", "x");
        var error = Refused(Urls("https://example.org/a.bin"), Path.Combine(file, "sub"));
        Assert.Equal("OUT", error.Argument);
        Assert.Contains("which is a file", error.Message);
        Assert.Equal("OUT", Refused(Urls("https://example.org/a.bin")).Argument);
    }

    [Fact]
    public void Blank_lines_and_comments_are_skipped_and_each_url_is_one_task_naming_its_host_permit()
    {
        var urls = Urls("# list", "", "  https://example.org/a.bin  ", "https://EXAMPLE.org/b.bin renamed/b.bin", "\t", "http://other.example:8080/c.bin");
        var job = _kind.Prepare([urls, Out, "--per-host", "2", "--timeout", "1.5s", "--max-bytes", "10MiB"]);

        var tasks = job.Split(CancellationToken.None).ToList();

        Assert.Equal(3, tasks.Count);
        var resources = tasks.Select(t => Assert.Single(((ITaskResources)job).ResourcesFor(t))).ToList();
        Assert.Equal(["http:example.org", "http:example.org", "http:other.example"], resources.Select(r => r.Name));
        Assert.All(resources, r => Assert.Equal((1, 2, Timeout.InfiniteTimeSpan), (r.Permits, r.CreatePermits, r.Wait!.Value)));
    }

    [Fact]
    public void Both_paths_are_made_absolute_where_the_job_is_submitted()
    {
        var resolved = _kind.ResolvePaths(["urls.txt", "--per-host", "2", "out"], "/home/me");
        Assert.Equal(["/home/me/urls.txt", "--per-host", "2", "/home/me/out"], resolved);
    }
}

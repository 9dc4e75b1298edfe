using System.Text.Json;
using ActorTasks.Tests.Fixtures.Http;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.Download;
using Xunit;
using static ActorTasks.Tests.Fixtures.Http.TestHttpServer;

namespace ActorTasks.Tasks.Tests.JobKinds.Download;

/// <summary>Download tasks against a local web server: sizes, retries, Retry-After, Range resume, limits and what is left on disk.</summary>
public sealed class DownloadJobTests : IAsyncLifetime
{
    // Fast pacing: the rules are the same, the waits short.
    private static readonly DownloadTuning Fast = new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
    private readonly TempDirectory _dir = new();
    private TestHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private string Out => Path.Combine(_dir.Path, "out");

    private static byte[] Content(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private IPreparedJob Prepare(IEnumerable<string> lines, params string[] options)
    {
        var urls = _dir.Write("urls.txt", string.Join("\n", lines));
        return new DownloadJobKind(Fast).Prepare([urls, Out, .. options]);
    }

    private static async Task<DownloadResult> RunAsync(IPreparedJob job, ReadOnlyMemory<byte> task, CancellationToken cancel = default)
    {
        var result = await job.ProcessAsync(task, new TaskContext(cancel));
        return JsonSerializer.Deserialize(result.Span, DownloadJsonContext.Default.DownloadResult)!;
    }

    private async Task<DownloadResult> DownloadOneAsync(string path, params string[] options)
    {
        var job = Prepare([_server.Url + path], options);
        return await RunAsync(job, Assert.Single(job.Split(CancellationToken.None)));
    }

    /// <summary>Every file under OUT, by path relative to it with '/' separators, hidden temp files included.</summary>
    private string[] FilesInOut() => Directory.Exists(Out)
        ? [.. Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Out, f).Replace('\\', '/')).Order(StringComparer.Ordinal)]
        : [];

    [Fact]
    public async Task Files_of_several_sizes_arrive_whole_with_their_checksums_in_the_order_of_the_list()
    {
        int[] sizes = [0, 1, 70_000, 3 * 1024 * 1024 + 17];
        for (var i = 0; i < sizes.Length; i++) _server.Add($"/f{i}.bin", Content(sizes[i], i));
        var job = Prepare([.. sizes.Select((_, i) => $"{_server.Url}/f{i}.bin"), $"{_server.OtherHostUrl}/f1.bin nested/deeper/copy.bin"]);

        var run = await JobHarness.RunShuffledAsync(job);

        Assert.Equal(["f0.bin", "f1.bin", "f2.bin", "f3.bin", "nested/deeper/copy.bin"], FilesInOut());
        for (var i = 0; i < sizes.Length; i++)
        {
            var bytes = Content(sizes[i], i);
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(Out, $"f{i}.bin")));
            Assert.Equal($"f{i}.bin\t{sizes[i]}\t{Sha256(bytes)}\t200\t1\t{_server.Url}/f{i}.bin", run.Output.Lines[i]);
        }
        Assert.StartsWith("nested/deeper/copy.bin\t1\t", run.Output.Lines[4]);
        Assert.Equal(("5", sizes.Sum() + 1L + "", "5", "0", Out), (run.Output.Get("files"), run.Output.Get("bytes"), run.Output.Get("attempts"), run.Output.Get("resumed"), run.Output.Get("out")));
        Assert.Equal(sizes.Sum() + 1L, run.Counters["bytes"]);
        Assert.Equal(5, run.Counters["files"]);
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_file_comes()
    {
        var bytes = Content(50_000);
        _server.Add("/flaky.bin", bytes);
        _server.Plan("/flaky.bin", new Status(500), new Status(503));

        var result = await DownloadOneAsync("/flaky.bin");

        Assert.Equal((3, 200, Sha256(bytes)), (result.Attempts, result.Status, result.Sha256));
        Assert.Equal(["flaky.bin"], FilesInOut());
    }

    [Fact]
    public async Task Too_many_requests_waits_as_long_as_Retry_After_says()
    {
        var bytes = Content(1000);
        _server.Add("/busy.bin", bytes);
        _server.Plan("/busy.bin", new Status(429, RetryAfter: "1"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await DownloadOneAsync("/busy.bin");

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"retried after {clock.Elapsed}");
        Assert.Equal((2, Sha256(bytes)), (result.Attempts, result.Sha256));
    }

    [Fact]
    public async Task A_Retry_After_longer_than_a_download_waits_fails_the_file_at_once()
    {
        _server.Add("/later.bin", Content(10));
        _server.Plan("/later.bin", new Status(503, RetryAfter: "3600"));

        var error = await Assert.ThrowsAsync<DownloadFailedException>(() => DownloadOneAsync("/later.bin"));

        Assert.Contains("HTTP 503 Service Unavailable, and the server asks to retry after 3600 s", error.Message);
        Assert.Empty(FilesInOut());
    }

    [Fact]
    public async Task A_client_error_fails_at_once_without_retries_and_leaves_nothing()
    {
        var error = await Assert.ThrowsAsync<DownloadFailedException>(() => DownloadOneAsync("/missing.bin"));

        Assert.Equal($"{_server.Url}/missing.bin (line 1): HTTP 404 Not Found", error.Message);
        Assert.IsAssignableFrom<PermanentTaskFailureException>(error);
        Assert.Single(_server.Requests);
        Assert.Empty(FilesInOut());
    }

    [Fact]
    public async Task Retries_that_run_out_fail_the_file_saying_how_many_attempts_it_took()
    {
        _server.Add("/down.bin", Content(10));
        _server.Plan("/down.bin", new Status(500), new Status(500), new Status(500));

        var error = await Assert.ThrowsAsync<DownloadFailedException>(() => DownloadOneAsync("/down.bin", "--retries", "2"));

        Assert.EndsWith("HTTP 500 Internal Server Error; gave up after 3 attempts", error.Message);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Empty(FilesInOut());
    }

    [Fact]
    public async Task A_body_cut_short_resumes_with_a_range_request()
    {
        var bytes = Content(400_000);
        _server.Add("/cut.bin", bytes);
        _server.Plan("/cut.bin", new Cut(150_000));

        var result = await DownloadOneAsync("/cut.bin");

        Assert.Equal((2, 206, Sha256(bytes)), (result.Attempts, result.Status, result.Sha256));
        Assert.True(result.ResumedFrom > 0 && result.ResumedFrom <= 150_000, $"resumed from {result.ResumedFrom}");
        var resumed = _server.Requests.Last();
        Assert.Equal($"bytes={result.ResumedFrom}-", resumed.Range);
        // Guarded by the ETag of the first response, so a file changed meanwhile would come whole.
        Assert.NotNull(resumed.IfRange);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(Out, "cut.bin")));
    }

    [Fact]
    public async Task A_body_that_stalls_longer_than_the_timeout_is_retried_and_resumed()
    {
        var bytes = Content(300_000);
        _server.Add("/stall.bin", bytes);
        _server.Plan("/stall.bin", new Stall(100_000));

        var result = await DownloadOneAsync("/stall.bin", "--timeout", "300ms");

        Assert.Equal((2, 206, Sha256(bytes)), (result.Attempts, result.Status, result.Sha256));
        Assert.Equal(["stall.bin"], FilesInOut());
    }

    [Fact]
    public async Task A_partial_file_left_by_a_dead_run_is_resumed_with_range_when_the_server_allows_it()
    {
        var bytes = Content(200_000);
        _server.Add("/big.bin", bytes);
        Directory.CreateDirectory(Out);
        File.WriteAllBytes(Path.Combine(Out, ".big.bin.part"), bytes[..123_456]);

        var result = await DownloadOneAsync("/big.bin");

        Assert.Equal((123_456L, 206, 1, Sha256(bytes)), (result.ResumedFrom, result.Status, result.Attempts, result.Sha256));
        Assert.Equal("bytes=123456-", Assert.Single(_server.Requests).Range);
        Assert.Equal(["big.bin"], FilesInOut());
    }

    [Fact]
    public async Task A_partial_file_starts_over_when_the_server_does_not_do_ranges()
    {
        var bytes = Content(200_000);
        _server.Add("/big.bin", bytes);
        _server.RangeSupport = false;
        Directory.CreateDirectory(Out);
        // Not even the right bytes: what the server sends replaces them all.
        File.WriteAllBytes(Path.Combine(Out, ".big.bin.part"), Content(150_000, seed: 9));

        var result = await DownloadOneAsync("/big.bin");

        Assert.Equal((0L, 200, Sha256(bytes)), (result.ResumedFrom, result.Status, result.Sha256));
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(Out, "big.bin")));
        Assert.Equal(["big.bin"], FilesInOut());
    }

    [Fact]
    public async Task A_partial_file_of_a_file_that_changed_on_the_server_starts_over()
    {
        var old = Content(200_000, seed: 1);
        var current = Content(200_000, seed: 2);
        _server.Add("/data.bin", old);
        _server.Plan("/data.bin", new Cut(80_000));
        var job = Prepare([_server.Url + "/data.bin"], "--retries", "0");
        var task = Assert.Single(job.Split(CancellationToken.None));
        await Assert.ThrowsAsync<DownloadFailedException>(() => RunAsync(job, task));
        // The failed file left nothing behind: write the partial file a dead process would have left, validator and all.
        Directory.CreateDirectory(Out);
        File.WriteAllBytes(Path.Combine(Out, ".data.bin.part"), old[..80_000]);
        File.WriteAllText(Path.Combine(Out, ".data.bin.part.validator"), $"\"{Sha256(old)[..16]}\"");
        _server.Add("/data.bin", current);

        var result = await RunAsync(job, task);

        Assert.Equal((0L, 200, Sha256(current)), (result.ResumedFrom, result.Status, result.Sha256));
        Assert.Equal(["data.bin"], FilesInOut());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_file_larger_than_max_bytes_fails_and_leaves_no_temp_file(bool announced)
    {
        _server.SendLength = announced;
        _server.Add("/huge.bin", Content(300_000));

        var error = await Assert.ThrowsAsync<DownloadFailedException>(() => DownloadOneAsync("/huge.bin", "--max-bytes", "100KiB"));

        Assert.Contains(announced ? "the file is 300,000 bytes, more than --max-bytes 102,400" : "the body goes on past --max-bytes 102,400", error.Message);
        Assert.Empty(FilesInOut());
    }

    [Fact]
    public async Task A_redirect_within_the_scheme_is_followed_and_one_to_another_scheme_fails()
    {
        var bytes = Content(100);
        _server.Add("/real.bin", bytes);
        _server.Plan("/moved.bin", new Redirect("/real.bin"));
        _server.Plan("/insecure.bin", new Redirect("https://127.0.0.1:1/real.bin"));

        Assert.Equal(Sha256(bytes), (await DownloadOneAsync("/moved.bin")).Sha256);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(Out, "moved.bin")));
        var error = await Assert.ThrowsAsync<DownloadFailedException>(() => DownloadOneAsync("/insecure.bin"));
        Assert.Contains("redirected to https://127.0.0.1:1/real.bin, another scheme than http; such redirects are refused", error.Message);
    }

    [Fact]
    public async Task A_cancelled_download_stops_and_leaves_no_temp_file()
    {
        _server.Add("/slow.bin", Content(1_000_000));
        _server.ChunkBytes = 10_000;
        _server.ChunkDelay = TimeSpan.FromMilliseconds(20);
        var job = Prepare([_server.Url + "/slow.bin"]);
        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var context = new TaskContext(cancel.Token, (name, _) => { if (name == "bytes") started.TrySetResult(); });

        var download = job.ProcessAsync(Assert.Single(job.Split(CancellationToken.None)), context).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(FilesInOut());
    }
}

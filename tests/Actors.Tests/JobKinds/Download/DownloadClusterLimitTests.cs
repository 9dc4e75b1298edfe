using ActorTasks.Messages;
using ActorTasks.Tests.Fixtures.Http;
using ActorTasks.Tasks.JobKinds.Download;
using ActorTasks.Tasks.Tests.Support;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tasks.Tests.JobKinds.Download;

/// <summary>A download job through the whole task system: the per-host limit holds across consumers, and every file arrives whole.</summary>
public sealed class DownloadClusterLimitTests(ITestOutputHelper output) : TestKit(TaskSystemFixture.Config(), output: output), IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TestHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await TestHttpServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public void Six_consumers_never_download_more_than_per_host_files_from_one_host_at_once()
    {
        const int perHost = 2, filesPerHost = 12;
        // Bodies come in slowly, so that downloads overlap and every consumer wants a host's permit at once.
        _server.ChunkBytes = 16 * 1024;
        _server.ChunkDelay = TimeSpan.FromMilliseconds(4);
        var lines = new List<string>();
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < filesPerHost * 2; i++)
        {
            var content = new byte[100_000 + i * 1000];
            new Random(i).NextBytes(content);
            _server.Add($"/f{i}.bin", content);
            lines.Add($"{(i % 2 == 0 ? _server.Url : _server.OtherHostUrl)}/f{i}.bin");
            expected[$"f{i}.bin"] = TestHttpServer.Sha256(content);
        }
        lines.Add($"{_server.Url}/missing.bin");
        var urls = _dir.Write("urls.txt", string.Join("\n", lines));
        var outFolder = Path.Combine(_dir.Path, "out");
        var kind = new DownloadJobKind(new DownloadTuning(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5)));
        var actors = TaskSystemFixture.Start(Sys, TaskSystemFixture.Settings(consumers: 6), kind);

        actors.JobManager.Tell(new SubmitJob("download", [urls, outFolder, "--per-host", perHost.ToString()], JobOptions.Default), TestActor);
        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(TimeSpan.FromSeconds(60));

        Assert.Equal(JobState.CompletedWithFailures, finished.State);
        var failure = Assert.Single(finished.Failures);
        Assert.Equal((24L, 1, typeof(DownloadFailedException).FullName), (failure.TaskIndex, failure.Attempts, failure.ErrorType));
        Assert.Equal($"{_server.Url}/missing.bin (line 25): HTTP 404 Not Found", failure.Message);
        Assert.Equal(filesPerHost * 2, finished.Lines.Count);
        foreach (var line in finished.Lines)
        {
            var fields = line.Split('\t');
            Assert.Equal(expected[fields[0]], fields[2]);
            Assert.Equal(expected[fields[0]], TestHttpServer.Sha256(File.ReadAllBytes(Path.Combine(outFolder, fields[0]))));
        }
        Assert.Equal(expected.Keys.Order(), Directory.EnumerateFiles(outFolder).Select(Path.GetFileName).Order());
        Assert.Equal(perHost, _server.MostConcurrent("127.0.0.1"));
        Assert.Equal(perHost, _server.MostConcurrent("127.0.0.2"));
    }
}

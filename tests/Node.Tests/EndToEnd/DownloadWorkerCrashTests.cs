using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using ActorTasks.Tests.Fixtures.Http;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>
/// A download job on a seed and two worker processes; one worker is killed with kill -9 while its downloads are half
/// done. The other worker resumes the partial files with Range requests, and the job ends with every file whole: every
/// checksum right, and no partial file left in OUT; the two workers together keep to the per-host limit.
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class DownloadWorkerCrashTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly NodeProcesses _nodes = new(log, Timeout, "-D", "actortasks.log.console=off");
    private readonly string _dir = Directory.CreateTempSubdirectory("actortasks-download-crash-").FullName;
    private TestHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await TestHttpServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_worker_killed_mid_download_leaves_no_partial_file_and_the_job_completes_with_every_checksum_right()
    {
        const int files = 24, size = 512 * 1024;
        // About a second per file: when the worker is killed, each of its consumers is inside a download.
        _server.ChunkBytes = 32 * 1024;
        _server.ChunkDelay = TimeSpan.FromMilliseconds(60);
        var expected = new Dictionary<string, string>();
        var lines = new List<string>();
        for (var i = 0; i < files; i++)
        {
            var content = new byte[size + i];
            new Random(i).NextBytes(content);
            _server.Add($"/f{i:00}.bin", content);
            expected[$"f{i:00}.bin"] = TestHttpServer.Sha256(content);
            lines.Add($"{(i % 2 == 0 ? _server.Url : _server.OtherHostUrl)}/f{i:00}.bin");
        }
        var urls = Path.Combine(_dir, "urls.txt");
        await File.WriteAllLinesAsync(urls, lines);
        var outFolder = Path.Combine(_dir, "out");

        var (seed, seedAddress) = await _nodes.StartAsync("seed", "seed", "--port", "0");
        string[] worker = ["worker", "--join", seedAddress, "-D", "actortasks.tasks.consumers-per-node=3"];
        var workers = await Task.WhenAll(_nodes.StartAsync("worker-1", worker), _nodes.StartAsync("worker-2", worker));
        await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 3 && rows.All(r => r.Contains("│ Up")), Timeout);

        await seed.SendLineAsync($"submit download {urls} {outFolder} --per-host 3");
        await seed.WaitForLineAsync(l => l.StartsWith("job 1 accepted", StringComparison.Ordinal), Timeout);
        // Once a file is done, both workers' consumers are each in the middle of one (6 permits, 6 consumers).
        await SeedConsole.WaitForDoneAsync(seed, "1", 1, Timeout);
        Assert.True(Directory.EnumerateFiles(outFolder, ".*.part").Any(), "no download was in progress at the kill");
        workers[0].Node.KillHard();

        await seed.SendLineAsync("watch 1");
        var finished = await seed.WaitForLineAsync(l => l.StartsWith("job 1 ", StringComparison.Ordinal) && l.Contains("done,"), Timeout);
        Assert.Contains("job 1 Completed", finished);
        await seed.SendLineAsync("results 1");
        var resumed = await seed.WaitForLineAsync(l => l.TrimStart().StartsWith("resumed:", StringComparison.Ordinal), Timeout);
        var results = new List<string>();
        while (results.Count < files) results.Add(await seed.WaitForLineAsync(l => l.Contains('\t'), Timeout));

        foreach (var fields in results.Select(r => r.Split('\t')))
        {
            Assert.Equal(expected[fields[0]], fields[2]);
            Assert.Equal(expected[fields[0]], TestHttpServer.Sha256(await File.ReadAllBytesAsync(Path.Combine(outFolder, fields[0]))));
        }
        // Every file is there, and nothing else: no temp file of the killed worker's downloads is left.
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal),
            Directory.EnumerateFileSystemEntries(outFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // The killed worker's partial files were picked up where they stopped, not downloaded again.
        Assert.Matches(@"resumed: [1-9]", resumed);
        // Six consumers on two workers, and never more than three requests at once to either host.
        Assert.InRange(_server.MostConcurrent("127.0.0.1"), 1, 3);
        Assert.InRange(_server.MostConcurrent("127.0.0.2"), 1, 3);
    }
}

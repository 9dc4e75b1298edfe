using ActorTasks.Node.Demo;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using SkiaSharp;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>
/// An images job on a seed and two worker processes, one worker killed with kill -9 while it writes: every image is
/// still written exactly once, whole, and nothing half-written is left in OUT.
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class ImagesWorkerCrashTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const int Images = 60;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    // After the kill: the worker's removal, then every image left written one at a time (disk = 1) by the other worker,
    // on a machine whose two cores other work may share.
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(5);
    private readonly NodeProcesses _nodes = new(log, Timeout, "-D", "actortasks.log.console=off");
    private readonly string _work = Directory.CreateTempSubdirectory("actortasks-images-e2e-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task A_worker_killed_mid_job_leaves_every_output_written_once_whole_and_no_partial_file()
    {
        var source = Path.Combine(_work, "src");
        var output = Path.Combine(_work, "out");
        var generated = Task.Run(() => DemoData.WriteImages(source, Images, 960, 540, seed: 5));
        // One disk permit in the cluster: images are written one at a time, so the job lasts long enough to kill a
        // worker in its middle, and the killed worker holds the permit when it dies.
        var (seed, seedAddress) = await _nodes.StartAsync("seed", "seed", "--port", "0", "-D", "actortasks.tasks.resources.disk=1");
        var workers = await Task.WhenAll(_nodes.StartAsync("worker-1", "worker", "--join", seedAddress), _nodes.StartAsync("worker-2", "worker", "--join", seedAddress));
        await SeedConsole.WaitForMembersAsync(seed, rows => rows.Count == 3 && rows.All(r => r.Contains("│ Up")), Timeout);
        await generated;

        await seed.SendLineAsync($"submit images {source} {output} --resize 320x180 --brightness 1.2");
        await seed.WaitForLineAsync(l => l.StartsWith("job 1 accepted", StringComparison.Ordinal), Timeout);
        await SeedConsole.WaitForDoneAsync(seed, "1", 1, Timeout);
        workers[0].Node.KillHard();

        await seed.SendLineAsync("watch 1");
        var finished = await seed.WaitForLineAsync(l => l.StartsWith("job 1 ", StringComparison.Ordinal) && l.Contains("done,"), JobTimeout);
        Assert.Contains("job 1 Completed", finished);
        Assert.Contains($"{Images} done, 0 failed", finished);

        var expected = Enumerable.Range(1, Images).Select(i => $"roll-{(i - 1) / 50 + 1}/IMG_{i:D4}.png").Order(StringComparer.Ordinal);
        var written = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(output, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, written);
        foreach (var file in written)
        {
            using var bitmap = SKBitmap.Decode(Path.Combine(output, file));
            Assert.True(bitmap is { Width: 320, Height: 180 }, $"{file} does not decode to 320x180");
        }
    }
}

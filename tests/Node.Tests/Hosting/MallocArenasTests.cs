using ActorTasks.Node.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.Hosting;

/// <summary>
/// A node started by ActorTasks (local workers, the demo, tests, benchmarks) runs with glibc's malloc capped at two
/// arenas: without the cap a node makes one per thread, up to sixteen on two cores, and their fragments grew a seed's
/// native memory by about 60 MB in a 15-minute soak.
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class MallocArenasTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly NodeProcesses _nodes = new(log, Timeout, "-D", "actortasks.log.console=off");
    private readonly string _folder = Directory.CreateTempSubdirectory("actortasks-arenas-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_node_started_by_ActorTasks_has_at_most_two_malloc_arenas()
    {
        // One already in the environment is passed on as it is.
        var cap = int.Parse(Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") ?? "2", System.Globalization.CultureInfo.InvariantCulture);
        var (seed, _) = await _nodes.StartAsync("seed", "seed", "--port", "0", "--dashboard-port", "0", "-D", $"actortasks.log.file-directory={_folder}",
            "-D", "actortasks.tasks.run-consumers=on");

        Assert.Contains($"MALLOC_ARENA_MAX={cap}", File.ReadAllText($"/proc/{seed.Id}/environ").Split('\0'));
        // The main arena lives in the program break; each other arena is a 64 MiB-aligned mapping of exactly 64 MiB
        // (its used part read-write, the rest reserved). Without the cap a started seed had 15 of them.
        Assert.InRange(OtherArenas(seed.Id), 0, cap - 1);
    }

    private static int OtherArenas(int pid)
    {
        const long Heap = 64L << 20;
        var maps = File.ReadLines($"/proc/{pid}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 5) // anonymous: no path
            .Select(fields =>
            {
                var range = fields[0].Split('-');
                return (Start: Convert.ToInt64(range[0], 16), End: Convert.ToInt64(range[1], 16), Permissions: fields[1]);
            })
            .ToList();
        var arenas = 0;
        for (var i = 0; i < maps.Count; i++)
        {
            if (maps[i].Start % Heap != 0 || maps[i].Permissions != "rw-p") continue;
            var end = maps[i].End;
            for (var j = i + 1; j < maps.Count && maps[j].Start == end && maps[j].Permissions == "---p"; j++) end = maps[j].End;
            if (end - maps[i].Start == Heap) arenas++;
        }
        return arenas;
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorTasks.Node.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.Dashboard;

/// <summary><c>actortasks seed --dashboard-port</c> as a process: it says where its dashboard is, and refuses a bad port or a bare non-loopback interface.</summary>
[Collection(NodeProcessCollection.Name)]
public sealed class SeedDashboardTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly NodeProcesses _nodes = new(log, Timeout, "-D", "actortasks.log.console=off");
    private readonly string _folder = Directory.CreateTempSubdirectory("actortasks-seed-dashboard-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_seed_says_where_its_dashboard_is_and_serves_it_there()
    {
        var (seed, hostPort) = await _nodes.StartAsync("seed", "seed", "--port", "0", "--dashboard-port", "0", "-D", $"actortasks.log.file-directory={_folder}");
        var line = await seed.WaitForLineAsync(l => l.StartsWith("dashboard at ", StringComparison.Ordinal), Timeout);
        var url = Regex.Match(line, @"^dashboard at (?<url>http://127\.0\.0\.1:\d+/)$").Groups["url"].Value;
        Assert.NotEqual("", url);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = Timeout };
        var nodes = await http.GetFromJsonAsync<JsonElement>("/api/nodes");
        Assert.EndsWith($"@{hostPort}", nodes.GetProperty("reportedBy").GetString());
        Assert.Contains("<title>ActorTasks</title>", await http.GetStringAsync("/"));
        // Nothing watches files: a web host's reload-on-change configuration watched every folder under the working
        // directory (a user's home, a tree of job data), costing an inotify watch each and work on every change.
        if (OperatingSystem.IsLinux())
        {
            var watchers = Directory.GetFiles($"/proc/{seed.Id}/fd").Select(fd => new FileInfo(fd).LinkTarget).Where(target => target == "anon_inode:inotify");
            Assert.Empty(watchers);
        }
    }

    [Fact]
    public async Task A_bad_dashboard_port_or_an_open_interface_without_a_token_stops_the_seed_with_exit_2_naming_it()
    {
        var port = await ActorTasksCommand.RunAsync(_folder, Timeout, "seed", "--port", "0", "--dashboard-port", "eighty");
        Assert.Equal(2, port.ExitCode);
        Assert.Equal("--dashboard-port: expected 0 to 65535, not 'eighty'", port.Error.Trim());

        var open = await ActorTasksCommand.RunAsync(_folder, Timeout, "seed", "--port", "0", "-D", "actortasks.dashboard.hostname=0.0.0.0");
        Assert.Equal(2, open.ExitCode);
        Assert.StartsWith("-D actortasks.dashboard.hostname=0.0.0.0: actortasks.dashboard.hostname: the dashboard on 0.0.0.0 is reachable from other machines, so it needs a token",
            open.Error);
    }
}

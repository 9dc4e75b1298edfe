using ActorTasks.Node.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>What a node or a client says, as a process, when it cannot start or cannot reach the seed.</summary>
[Collection(NodeProcessCollection.Name)]
public sealed class NodeStartTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly NodeProcesses _nodes = new(log, Timeout);
    private readonly string _folder = Directory.CreateTempSubdirectory("actortasks-start-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<ActorTasksCommand.Result> RunAsync(params string[] args) => ActorTasksCommand.RunAsync(_folder, Timeout, args);

    [Fact]
    public async Task Submit_to_a_seed_that_is_not_there_answers_within_seconds_naming_the_seed_with_exit_1()
    {
        var seed = $"127.0.0.1:{InProcessNodes.FreePort()}";

        var result = await RunAsync("submit", "noop", "5", "--seed", seed, "--wait");

        log.WriteLine($"exit {result.ExitCode} after {result.Elapsed.TotalSeconds:0.00} s\nstdout: {result.Output}\nstderr: {result.Error}");
        Assert.Equal(1, result.ExitCode);
        // The message proves the fast path (the refused connection, not the 10 s question timeout); the bound only
        // proves no wait for the 60 s join give-up, with room for a process start on a loaded 2-core machine.
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(30), $"the answer took {result.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains(seed, result.Error);
        Assert.Contains("could not reach the seed", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task A_node_bound_beyond_loopback_without_a_certificate_refuses_to_start_unless_told_it_is_on_purpose()
    {
        string[] anyInterface = ["-D", "akka.remote.dot-netty.tcp.hostname=0.0.0.0", "-D", "akka.remote.dot-netty.tcp.public-hostname=127.0.0.1"];
        var refused = await RunAsync(["seed", "--port", "0", .. anyInterface]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("", refused.Output);
        Assert.StartsWith("-D akka.remote.dot-netty.tcp.hostname=0.0.0.0: akka.remote.dot-netty.tcp.hostname = 0.0.0.0 is reachable from other machines", refused.Error);
        Assert.Contains("actortasks.remote.allow-unencrypted = on", refused.Error);

        var (seed, _) = await _nodes.StartAsync("seed", ["seed", "--port", "0", .. anyInterface, "-D", "actortasks.remote.allow-unencrypted=on"]);
        Assert.Contains(seed.Output, l => l.StartsWith("seed node up at akka.tcp://tasks@127.0.0.1:", StringComparison.Ordinal));
        Assert.False(seed.HasExited);
    }

    [Fact]
    public async Task A_node_that_binds_every_interface_needs_the_address_others_dial()
    {
        var refused = await RunAsync("seed", "--port", "0", "-D", "akka.remote.dot-netty.tcp.hostname=0.0.0.0", "-D", "actortasks.remote.allow-unencrypted=on");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("akka.remote.dot-netty.tcp.public-hostname", refused.Error);
    }

    [Fact]
    public async Task A_second_seed_on_a_port_in_use_exits_1_with_one_line_and_no_stack_trace()
    {
        var (_, hostPort) = await _nodes.StartAsync("seed", "seed", "--port", "0");
        var port = hostPort.Split(':')[1];

        // The default logging (console on): whatever Akka logs must not reach the user as a stack trace either.
        var second = await RunAsync("seed", "--port", port);

        log.WriteLine($"exit {second.ExitCode} after {second.Elapsed.TotalSeconds:0.00} s\nstdout: {second.Output}\nstderr: {second.Error}");
        Assert.Equal(1, second.ExitCode);
        var line = Assert.Single(second.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"port {port}", line);
        Assert.Contains("already in use", line);
        Assert.DoesNotContain("   at ", second.Output);
    }

    [Fact]
    public async Task Submit_refuses_an_out_file_it_could_not_write_before_it_reaches_for_the_seed()
    {
        var result = await RunAsync("submit", "noop", "3", "--seed", "127.0.0.1:1", "--wait", "--out", "/nonexistent/dir/x");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("--out: the folder /nonexistent/dir does not exist", result.Error.Trim());
    }

    [Fact]
    public async Task A_log_folder_that_cannot_be_written_is_said_once_and_the_node_logs_to_the_console()
    {
        var file = Path.Combine(_folder, "not-a-folder");
        await File.WriteAllTextAsync(file, "");
        var result = await RunAsync("worker", "--join", $"127.0.0.1:{InProcessNodes.FreePort()}", "-D", $"actortasks.log.file-directory=\"{file}\"",
            "-D", "akka.cluster.shutdown-after-unsuccessful-join-seed-nodes=2s");
        Assert.Equal(1, result.ExitCode);
        var all = result.Output + result.Error;
        Assert.Single(all.Split('\n'), l => l.Contains("cannot write log files in", StringComparison.Ordinal) && l.Contains(file, StringComparison.Ordinal));
        Assert.Contains("worker node up at", all);
        Assert.Contains("could not join the cluster through 127.0.0.1:", result.Error);
    }
}

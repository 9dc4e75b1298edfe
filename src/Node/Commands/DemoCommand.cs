using System.CommandLine;
using ActorTasks.Node.Demo;
using ActorTasks.Node.Hosting;

namespace ActorTasks.Node.Commands;

/// <summary>
/// <c>actortasks demo [--workers 2]</c>: starts a seed and workers as separate processes on this machine, runs a grep,
/// a csv-stats, a primes and an images job on them, checks each result (against a single-threaded computation, or the
/// images written), and stops them all.
/// </summary>
public static class DemoCommand
{
    /// <summary>The most workers the demo starts (each is a process of its own).</summary>
    public const int MaxWorkers = 8;

    public static Command Create()
    {
        var options = new NodeConfigOptions();
        var workers = new Option<int>("--workers", "-w") { Description = $"Worker nodes to start, each its own process (1 to {MaxWorkers})", DefaultValueFactory = _ => 2 };
        var keep = new Option<bool>("--keep") { Description = "Keep the working folder (generated inputs and node logs) instead of removing it" };
        // As for the nodes: set by a launching process (a test), so that the demo ends with it and takes its nodes along.
        var parentPid = new Option<int?>("--parent-pid") { Hidden = true };
        var command = new Command("demo", "Start a seed and workers as processes on this machine, run four jobs on them and check the results");
        options.AddTo(command);
        command.Options.Add(workers);
        command.Options.Add(keep);
        command.Options.Add(parentPid);
        command.SetAction(async (parseResult, invocationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var count = parseResult.GetValue(workers);
            if (count is < 1 or > MaxWorkers)
            {
                await error.WriteLineAsync($"--workers: expected 1 to {MaxWorkers} worker nodes, not {count}");
                return NodeConfigOptions.BadConfigurationExitCode;
            }
            // The same layers every node will read: a bad file or -D stops the demo here, before any process starts.
            var config = options.TryLoad(parseResult, null, error);
            if (config is null) return NodeConfigOptions.BadConfigurationExitCode;
            var client = config.With("demo client", "akka.remote.dot-netty.tcp.port = 0");
            if (!options.SetsLogLevel(parseResult)) client = client.With("demo client", "actortasks.log.level = warning");

            using var signal = new ShutdownSignal();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(signal.Token);
            if (parseResult.GetValue(parentPid) is { } parent)
            {
                _ = ParentWatch.WhenExitedAsync(parent, stop.Token).ContinueWith(t =>
                {
                    if (t.IsCompletedSuccessfully) stop.Cancel();
                }, TaskScheduler.Default);
            }
            var settings = new DemoSettings(count, parseResult.GetValue(keep), NodeArguments(parseResult, options), client);
            return await ClusterDemo.RunAsync(settings, output, stop.Token);
        });
        return command;
    }

    // --config and -D go to every node as given (the file as a full path: the nodes may resolve it from elsewhere).
    private static List<string> NodeArguments(ParseResult parseResult, NodeConfigOptions options)
    {
        var arguments = new List<string>();
        if (parseResult.GetValue(options.ConfigFile) is { } file) arguments.AddRange(["--config", Path.GetFullPath(file)]);
        foreach (var define in parseResult.GetValue(options.Defines) ?? []) arguments.AddRange(["-D", define]);
        return arguments;
    }
}

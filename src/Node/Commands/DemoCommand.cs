using System.CommandLine;
using ActorTasks.Node.Demo;
using ActorTasks.Node.Hosting;

namespace ActorTasks.Node.Commands;

/// <summary><c>actortasks demo [--workers 2]</c>: a local cluster of separate processes, three jobs, their results.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var options = new NodeConfigOptions();
        var workers = new Option<int>("--workers", "-w") { Description = "Worker processes to start", DefaultValueFactory = _ => 2 };
        var parentPid = new Option<int?>("--parent-pid") { Hidden = true };
        var command = new Command("demo", "Start a seed and workers as separate processes, run a grep, a csv-stats and a primes job, and print their results");
        options.AddTo(command);
        command.Options.Add(workers);
        command.Options.Add(parentPid);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var count = parseResult.GetValue(workers);
            if (count is < 1 or > 16)
            {
                await error.WriteLineAsync($"demo: --workers must be between 1 and 16, not {count}");
                return NodeConfigOptions.BadConfigurationExitCode;
            }
            if (options.TryLoad(parseResult, null, error) is null) return NodeConfigOptions.BadConfigurationExitCode;
            using var signal = new ShutdownSignal();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(signal.Token);
            if (parseResult.GetValue(parentPid) is { } pid)
                _ = ParentWatch.WhenExitedAsync(pid, stop.Token).ContinueWith(t => { if (t.IsCompletedSuccessfully) stop.Cancel(); }, TaskScheduler.Default);
            return await new ClusterDemo(output, count, stop.Token).RunAsync();
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using ActorTasks.Actor;
using ActorTasks.Hocon;
using ActorTasks.Node.Hosting;

namespace ActorTasks.Node.Commands;

/// <summary>Starts a node for a command, runs the command's body until the node is asked to stop, then stops it cleanly.</summary>
internal static class NodeRunner
{
    /// <summary>
    /// Loads the configuration (exit 2 when bad), starts the node (exit 1 when it cannot, e.g. a taken port), runs
    /// <paramref name="body"/> with a token that Ctrl+C, SIGTERM or the end of a launching process cancels, and exits 0.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult parseResult, NodeCommandOptions options, NodeRole role, Address? seed,
        Func<NodeHost, ShutdownSignal, CancellationTokenSource, Task> body, bool quiet = false)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var config = options.TryLoad(parseResult, role == NodeRole.Client ? null : role.ToString().ToLowerInvariant(), error);
        if (config is null) return NodeConfigOptions.BadConfigurationExitCode;
        // A client has no preset: it needs remoting to reach the seed, and logs only warnings unless told otherwise.
        if (role == NodeRole.Client)
        {
            config = ConfigFactory.ParseString("actortasks.actor.provider = remote").WithFallback(config);
            if (!options.Config.SetsLogLevel(parseResult)) config = ConfigFactory.ParseString("actortasks.log.level = warning").WithFallback(config);
        }

        using var signal = new ShutdownSignal();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(signal.Token);
        if (parseResult.GetValue(options.ParentPid) is { } parentPid)
        {
            _ = ParentWatch.WhenExitedAsync(parentPid, stop.Token).ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully) stop.Cancel();
            }, TaskScheduler.Default);
        }

        NodeHost host;
        try
        {
            host = await NodeHost.StartAsync(role, config, seed, stop.Token);
        }
        catch (ConfigException e)
        {
            await error.WriteLineAsync(e.Message);
            return NodeConfigOptions.BadConfigurationExitCode;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or InvalidOperationException)
        {
            await error.WriteLineAsync($"the {role.ToString().ToLowerInvariant()} node could not start: {e.Message}");
            return NodeCommandOptions.FailedExitCode;
        }
        // A member that the cluster downs stops too, and exits non-zero (one clear log line says why).
        if (host.Cluster is { } cluster)
        {
            _ = cluster.WhenDowned.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
        }
        await using (host)
        {
            if (!quiet)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{role.ToString().ToLowerInvariant()} node up at {host.System.Address}"));
            }
            await body(host, signal, stop);
            if (host.Cluster is { IsDowned: true })
            {
                await error.WriteLineAsync($"this node was downed by the cluster; exiting");
                return NodeCommandOptions.FailedExitCode;
            }
            if (host.Cluster is { } member && member.SelfMember is not null && !member.WhenRemoved.IsCompleted)
            {
                // Ctrl+C, SIGTERM or quit: a graceful leave, so the others see this node go at once.
                host.Log.Information("leaving the cluster");
                if (!await member.LeaveAsync(TimeSpan.FromSeconds(10))) host.Log.Warning("the leave was not confirmed within 10 s; stopping anyway");
            }
            if (!quiet) await output.WriteLineAsync($"{role.ToString().ToLowerInvariant()} node stopped");
        }
        return 0;
    }

    /// <summary>Completes when <paramref name="token"/> is cancelled.</summary>
    public static Task WhenCancelled(CancellationToken token)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => done.TrySetResult());
        return done.Task;
    }
}

using System.CommandLine;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Hosting;
using Akka.Actor;

namespace ActorTasks.Node.Commands;

/// <summary>Starts a node for a command, runs the command's body until the node is asked to stop, then stops it cleanly.</summary>
internal static class NodeRunner
{
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Loads the configuration (exit 2 when bad), starts the node (exit 1 when it cannot, e.g. a taken port), runs
    /// <paramref name="body"/> with a token that Ctrl+C, SIGTERM, the end of a launching process or the end of the
    /// actor system cancels, then leaves the cluster through Akka's coordinated shutdown and exits 0 — or 1 when the
    /// cluster downed this node.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult parseResult, NodeCommandOptions options, NodeRole role, SeedEndpoint? seed,
        Func<NodeHost, ShutdownSignal, CancellationTokenSource, Task> body, bool quiet = false)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var name = role.ToString().ToLowerInvariant();
        var config = options.TryLoad(parseResult, role == NodeRole.Client ? null : name, error);
        if (config is null) return NodeConfigOptions.BadConfigurationExitCode;
        // A client says what went wrong in its own words; Akka's log lines about the connection would only repeat it.
        if (role == NodeRole.Client && !options.Config.SetsLogLevel(parseResult)) config = config.With("client defaults", "actortasks.log.level = error");

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
        catch (NodeStartException e)
        {
            await error.WriteLineAsync(role == NodeRole.Client ? e.Message : $"the {name} node could not start: {e.Message}");
            return NodeCommandOptions.FailedExitCode;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return SubmitCommand.InterruptedExitCode;
        }
        await using (host)
        {
            // A member the cluster downs, or a node whose TLS handshake failed, ends its actor system: stop the command too.
            _ = host.System.WhenTerminated.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
            if (!quiet) await output.WriteLineAsync($"{name} node up at {host.Address}");
            await body(host, signal, stop);
            var shutdown = CoordinatedShutdown.Get(host.System);
            if (shutdown.ShutdownReason is { } reason && reason is not CoordinatedShutdown.ClrExitReason)
            {
                var why = reason switch
                {
                    CoordinatedShutdown.ClusterDowningReason => "this node was downed by the cluster (it was unreachable, or the cluster split and its side lost)",
                    CoordinatedShutdown.ClusterJoinUnsuccessfulReason => $"could not join the cluster through {seed?.ToString() ?? "the configured seed nodes"} " +
                        $"within {host.System.Settings.Config.GetTimeSpan("akka.cluster.shutdown-after-unsuccessful-join-seed-nodes").TotalSeconds:0} s " +
                        "(is the seed running at that address, and do both nodes use the same TLS certificate, or none?)",
                    // Akka's reason type is internal: known by name only.
                    _ when reason.GetType().Name == "TlsHandshakeFailureReason" =>
                        "the TLS handshake with a peer failed: the two nodes hold different cluster certificates (see the log line before this one)",
                    _ => $"the actor system stopped ({reason.GetType().Name})",
                };
                host.Log.Error("{Why}; exiting", why);
                await error.WriteLineAsync($"{why}; exiting");
                return NodeCommandOptions.FailedExitCode;
            }
            // Ctrl+C, SIGTERM or leave: Akka's coordinated shutdown leaves the cluster (Leaving, Exiting, Removed) and stops the system.
            if (host.Cluster is not null) host.Log.Information("leaving the cluster");
            try
            {
                await shutdown.Run(CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(LeaveTimeout);
            }
            catch (TimeoutException)
            {
                host.Log.Warning("the leave did not finish within {Timeout}; stopping anyway", LeaveTimeout);
            }
            if (!quiet) await output.WriteLineAsync($"{name} node stopped");
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

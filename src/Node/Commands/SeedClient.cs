using System.CommandLine;
using Akka.Actor;
using ActorTasks.Node.Console;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Jobs;

namespace ActorTasks.Node.Commands;

/// <summary>What a command run against a seed has: the client node, the job and cluster commands, where to write, and its cancellation.</summary>
/// <param name="Cancellation">Ctrl+C cancels it (the command ends, then the client disconnects); so does SIGTERM.</param>
internal sealed record SeedClientContext(NodeHost Host, SeedEndpoint Seed, JobCommands Jobs, ClusterCommands Cluster, TextWriter Output, TextWriter Error,
    CancellationToken Cancellation);

/// <summary>
/// The shape every command against a running seed shares (<c>submit</c>, <c>jobs</c>, <c>status</c>, <c>watch</c>, ...):
/// <c>--seed HOST:PORT</c> and the node options (<c>--tls-cert</c>, <c>--config</c>, <c>-D</c>), arguments checked
/// before anything connects (exit 2), a client node that reaches the seed (exit 1 naming it when it cannot), and the
/// exit codes of <see cref="ExitCodes"/>.
/// </summary>
internal static class SeedClient
{
    /// <summary>
    /// Makes the command. <paramref name="prepare"/> reads the parsed arguments before any connection — it throws
    /// <see cref="ArgumentException"/> (naming the argument) for bad ones — and returns the body, which gets the
    /// connected client and returns the exit code.
    /// </summary>
    public static Command Create(string name, string description, Func<ParseResult, Func<SeedClientContext, Task<int>>> prepare, params Symbol[] symbols)
    {
        var options = new NodeCommandOptions("0, any free port");
        var seed = new Option<string>("--seed", "-s") { Description = "The seed to talk to, HOST:PORT", HelpName = "HOST:PORT", Required = true };
        var command = new Command(name, description);
        options.AddTo(command);
        command.Options.Add(seed);
        foreach (var symbol in symbols)
        {
            if (symbol is Option option) command.Options.Add(option);
            else if (symbol is Argument argument) command.Arguments.Add(argument);
        }
        command.SetAction(async (parseResult, _) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            SeedEndpoint seedAddress;
            Func<SeedClientContext, Task<int>> body;
            try
            {
                seedAddress = SeedEndpoint.Parse(parseResult.GetValue(seed)!, "--seed");
                body = prepare(parseResult);
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync(e.Message);
                return ExitCodes.BadArguments;
            }
            var exit = ExitCodes.Ok;
            var run = await NodeRunner.RunAsync(parseResult, options, NodeRole.Client, seedAddress, async (host, signal, stop) =>
            {
                exit = await RunAsync(host, seedAddress, signal, parseResult, body, stop.Token);
            }, quiet: true);
            return run != ExitCodes.Ok ? run : exit;
        });
        return command;
    }

    private static async Task<int> RunAsync(NodeHost host, SeedEndpoint seed, ShutdownSignal signal, ParseResult parseResult,
        Func<SeedClientContext, Task<int>> body, CancellationToken stop)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var askTimeout = host.System.Settings.AskTimeout;
        using var command = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var interrupt = signal.RedirectInterrupt(command);
        var context = new SeedClientContext(host, seed, new JobCommands(host.System, host.JobManager, host.ResourceManager, askTimeout),
            new ClusterCommands(host.Members, askTimeout), output, error, command.Token);
        try
        {
            return await body(context);
        }
        catch (AskTimeoutException e)
        {
            await error.WriteLineAsync($"no answer from the seed at {seed}: {e.Message}");
        }
        catch (JobManagerLostException e)
        {
            await error.WriteLineAsync($"lost the seed at {seed}: {e.Message}");
        }
        catch (IOException e)
        {
            await error.WriteLineAsync(e.Message);
        }
        catch (OperationCanceledException) when (command.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        return ExitCodes.Failed;
    }
}

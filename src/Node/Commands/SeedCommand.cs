using System.Globalization;
using System.CommandLine;
using ActorTasks.Node.Console;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Jobs;

namespace ActorTasks.Node.Commands;

/// <summary><c>actortasks seed [--port 4053] [--join HOST:PORT]</c>: the node others join, with the job manager and an interactive console.</summary>
public static class SeedCommand
{
    public static Command Create()
    {
        var options = new NodeCommandOptions("4053, from hocon/seed.conf");
        var join = new Option<string?>("--join", "-j")
        {
            Description = "Another seed to join, HOST:PORT: this one then takes over the job manager when that one leaves or dies",
            HelpName = "HOST:PORT",
        };
        var dashboardPort = new Option<string?>("--dashboard-port")
        {
            Description = "TCP port of the web dashboard, 0 = any free port (default: 8080); overrides actortasks.dashboard.port",
            HelpName = "PORT",
        };
        var command = new Command("seed", "Start the seed node: workers join it, jobs are submitted on its console");
        options.AddTo(command);
        command.Options.Add(join);
        command.Options.Add(dashboardPort);
        command.SetAction(async (parseResult, _) =>
        {
            SeedEndpoint? seed = null;
            try
            {
                if (parseResult.GetValue(join) is { } other) seed = SeedEndpoint.Parse(other, "--join");
                if (parseResult.GetValue(dashboardPort) is { } text)
                {
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                        throw new ArgumentException($"--dashboard-port: expected 0 to 65535, not '{text}'");
                    options.ExtraConfig = $"actortasks.dashboard.port = {port}";
                }
            }
            catch (ArgumentException e)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(e.Message);
                return NodeConfigOptions.BadConfigurationExitCode;
            }
            return await RunAsync(parseResult, options, seed);
        });
        return command;
    }

    private static Task<int> RunAsync(ParseResult parseResult, NodeCommandOptions options, SeedEndpoint? seed) =>
        NodeRunner.RunAsync(parseResult, options, NodeRole.Seed, seed, async (host, signal, stop) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var address = host.Address;
            if (host.Dashboard is { } dashboard) await output.WriteLineAsync($"dashboard at {dashboard.Url}");
            await output.WriteLineAsync($"workers join with: actortasks worker --join {address.Host}:{address.Port}{(host.UsesTls ? " --tls-cert FILE" : "")}");
            var interactive = !System.Console.IsInputRedirected;
            var console = new NodeConsole(System.Console.In, output, interactive) { OnCommandStarted = signal.RedirectInterrupt };
            foreach (var c in new JobCommands(host.System, host.JobManager, host.ResourceManager, host.System.Settings.AskTimeout).All)
                console.Add(c);
            foreach (var c in new ClusterCommands(host.Members, host.System.Settings.AskTimeout, host.Address.ToString(), stop).All) console.Add(c);
            var end = await console.RunAsync(stop.Token);
            if (end == ConsoleEnd.EndOfInput)
            {
                host.Log.Information("standard input ended; the seed keeps running until Ctrl+C or SIGTERM");
                await NodeRunner.WhenCancelled(stop.Token);
            }
        });
}

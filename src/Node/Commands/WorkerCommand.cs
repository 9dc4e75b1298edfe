using System.CommandLine;
using ActorTasks.Node.Hosting;

namespace ActorTasks.Node.Commands;

/// <summary><c>actortasks worker --join 127.0.0.1:4053 [--port 0]</c>: a node that runs consumers pulling work from the seed.</summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var options = new NodeCommandOptions("0, any free port");
        var join = new Option<string>("--join", "-j") { Description = "The seed to join, HOST:PORT", HelpName = "HOST:PORT", Required = true };
        var roles = new Option<string?>("--roles", "-r") { Description = "This node's cluster roles, comma-separated (default: worker)", HelpName = "ROLES" };
        var command = new Command("worker", "Start a worker node: it joins the seed and runs tasks of its jobs");
        options.AddTo(command);
        command.Options.Add(join);
        command.Options.Add(roles);
        command.SetAction(async (parseResult, _) =>
        {
            SeedEndpoint seed;
            string[]? roleNames = null;
            try
            {
                seed = SeedEndpoint.Parse(parseResult.GetValue(join)!, "--join");
                if (parseResult.GetValue(roles) is { } r)
                {
                    roleNames = r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (roleNames.Length == 0 || roleNames.Any(n => !n.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
                        throw new ArgumentException($"--roles: expected role names of letters, digits, '-' and '_' separated by commas, e.g. worker,gpu, not '{r}'");
                }
            }
            catch (ArgumentException e)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(e.Message);
                return NodeConfigOptions.BadConfigurationExitCode;
            }
            options.ExtraConfig = roleNames is null ? null : $"akka.cluster.roles = [{string.Join(", ", roleNames)}]";
            return await NodeRunner.RunAsync(parseResult, options, NodeRole.Worker, seed, (_, _, stop) => NodeRunner.WhenCancelled(stop.Token));
        });
        return command;
    }
}

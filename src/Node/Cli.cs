using System.CommandLine;
using ActorTasks.Node.Commands;

namespace ActorTasks.Node;

/// <summary>The <c>actortasks</c> command line: one sub-command per file in Commands/.</summary>
public static class Cli
{
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("ActorTasks: actors that spread batch work over cores and machines.");
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(SeedCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(SubmitCommand.Create());
        return root;
    }
}

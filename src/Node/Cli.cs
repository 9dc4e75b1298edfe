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
        foreach (var verb in SeedVerbs.Create()) root.Subcommands.Add(verb);
        root.Subcommands.Add(CertsCommand.Create());
        root.Subcommands.Add(CompletionCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs a command line. A line that does not parse (an unknown command or option, a missing required
    /// option, a value of the wrong type) exits 2, as every bad argument does, after the errors and a pointer to --help.
    /// </summary>
    public static int Run(string[] args, TextWriter? error = null)
    {
        var parseResult = CreateRootCommand().Parse(SubmitCommand.SeparateJobWords(args));
        if (parseResult.Errors.Count == 0) return parseResult.Invoke(CreateInvocationConfiguration());
        error ??= System.Console.Error;
        foreach (var problem in parseResult.Errors) error.WriteLine(problem.Message);
        var command = string.Join(' ', parseResult.CommandResult.Command.Name is var name && name != parseResult.RootCommandResult.Command.Name
            ? ["actortasks", name] : new[] { "actortasks" });
        error.WriteLine($"'{command} --help' lists the commands and options");
        return NodeConfigOptions.BadConfigurationExitCode;
    }

    /// <summary>How the executable invokes the command line: Ctrl+C and SIGTERM are left to the commands.</summary>
    /// <remarks>
    /// Every long-running command takes those signals itself (<see cref="Hosting.ShutdownSignal"/>) and stops gracefully,
    /// which for a member means a cluster leave and often takes more than 2 s. System.CommandLine's own handler would
    /// run beside it and, 2 s after the signal, return 130/143 from <c>Invoke</c>, so the process exited in the middle
    /// of the leave.
    /// </remarks>
    public static InvocationConfiguration CreateInvocationConfiguration() => new() { ProcessTerminationTimeout = null };
}

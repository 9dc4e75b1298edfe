using System.Collections;
using System.CommandLine;
using ActorTasks.Node.Configuration;
using ActorTasks.Tasks.Configuration;

namespace ActorTasks.Node.Commands;

/// <summary>
/// The configuration options every node command shares (<c>--config FILE</c>, <c>-D key=value</c>), and loading the
/// layered configuration before anything starts: a bad file or value stops the command with a message naming the
/// file (or variable, or argument) and the problem, and exit code 2.
/// </summary>
public sealed class NodeConfigOptions
{
    /// <summary>Exit code of a command stopped by bad configuration or a bad argument.</summary>
    public const int BadConfigurationExitCode = 2;

    public Option<string?> ConfigFile { get; } = new("--config", "-c")
    {
        Description = "A HOCON file layered over the role preset and under environment variables and -D",
        HelpName = "FILE",
    };

    public Option<string[]> Defines { get; } = new("--define", "-D")
    {
        Description = "Set one setting, e.g. -D actortasks.tasks.prefetch=64 or -D akka.loglevel=DEBUG (highest precedence; repeatable)",
        HelpName = "key=value",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>Adds the options to a command.</summary>
    public NodeConfigOptions AddTo(Command command)
    {
        command.Options.Add(ConfigFile);
        command.Options.Add(Defines);
        return this;
    }

    /// <summary>True when a <c>-D</c> argument sets <c>actortasks.log.level</c>.</summary>
    public bool SetsLogLevel(ParseResult parseResult) =>
        (parseResult.GetValue(Defines) ?? []).Any(d => d.TrimStart().StartsWith("actortasks.log.level", StringComparison.Ordinal));

    /// <summary>
    /// Loads the configuration for a role; on a <see cref="ConfigException"/> writes its message to
    /// <paramref name="error"/> and returns null (the caller exits with <see cref="BadConfigurationExitCode"/>).
    /// </summary>
    public NodeConfig? TryLoad(ParseResult parseResult, string? rolePreset, TextWriter error, IDictionary? environment = null)
    {
        try
        {
            var config = NodeConfig.Load(rolePreset, parseResult.GetValue(ConfigFile), parseResult.GetValue(Defines) ?? [], environment);
            // Read the node's and the task system's settings now, so a value of the wrong type or out of range stops the
            // command here (the demo before it starts any node), not at start.
            NodeSettings.Create(config);
            try
            {
                TaskSystemSettings.Create(config.Config);
            }
            catch (SettingsException e)
            {
                throw config.Invalid(e);
            }
            return config;
        }
        catch (ConfigException e)
        {
            error.WriteLine(e.Message);
            return null;
        }
    }
}

using System.Collections;
using System.CommandLine;
using ActorTasks.Configuration;
using ActorTasks.Hocon;

namespace ActorTasks.Node.Commands;

/// <summary>
/// The configuration options every node command shares (<c>--config FILE</c>, <c>-D key=value</c>), and
/// loading the layered configuration before anything starts: a bad file stops the command with
/// <c>file:line:column: …</c> on stderr and exit code 2.
/// </summary>
public sealed class NodeConfigOptions
{
    /// <summary>Exit code of a command stopped by bad configuration.</summary>
    public const int BadConfigurationExitCode = 2;

    public Option<string?> ConfigFile { get; } = new("--config", "-c")
    {
        Description = "A HOCON file layered over the role preset and under environment variables and -D",
        HelpName = "FILE",
    };

    public Option<string[]> Defines { get; } = new("--define", "-D")
    {
        Description = "Set one setting, e.g. -D actortasks.actor.throughput=50 (highest precedence; repeatable)",
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
    public Config? TryLoad(ParseResult parseResult, string? rolePreset, TextWriter error, IDictionary? environment = null)
    {
        try
        {
            var config = ConfigLoader.Load(rolePreset, parseResult.GetValue(ConfigFile), parseResult.GetValue(Defines) ?? [], environment);
            // Read the runtime's settings now, so a value of the wrong type or out of range stops the
            // command here (exit 2, place and problem) rather than when the actor system starts.
            RuntimeSettings.Create(config);
            return config;
        }
        catch (ConfigException e)
        {
            error.WriteLine(e.Message);
            return null;
        }
    }
}

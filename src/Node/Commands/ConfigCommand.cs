using System.Collections;
using System.CommandLine;
using ActorTasks.Node.Configuration;

namespace ActorTasks.Node.Commands;

/// <summary><c>actortasks config [--role R] [--config FILE] [-D k=v …] [--json] [PATH]</c>: prints the resolved configuration.</summary>
public static class ConfigCommand
{
    /// <summary>Environment used instead of the process environment (tests set it; null means the real one).</summary>
    internal static IDictionary? EnvironmentOverride { get; set; }

    public static Command Create()
    {
        var options = new NodeConfigOptions();
        var role = new Option<string?>("--role")
        {
            Description = "Layer this role preset (seed or worker) over reference.conf, as that node command would",
            HelpName = "seed|worker",
        };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of HOCON (JSON has no comments)" };
        var path = new Argument<string?>("PATH")
        {
            Description = "Print only this setting or subtree, e.g. actortasks.tasks or akka.cluster",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("config", "Print the resolved configuration, or one subtree, each value with a comment naming the layer that set it");
        options.AddTo(command);
        command.Options.Add(role);
        command.Options.Add(json);
        command.Arguments.Add(path);
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var config = options.TryLoad(parseResult, parseResult.GetValue(role), error, EnvironmentOverride);
            if (config is null)
                return NodeConfigOptions.BadConfigurationExitCode;
            return Print(config, parseResult.GetValue(path), parseResult.GetValue(json), output, error);
        });
        return command;
    }

    /// <summary>Writes the whole tree or the value at <paramref name="path"/>; 1 when the path is not set.</summary>
    internal static int Print(NodeConfig config, string? path, bool json, TextWriter output, TextWriter error)
    {
        foreach (var warning in config.Warnings) error.WriteLine($"warning: {warning}");
        path = path?.Trim() ?? "";
        if (path.Length > 0)
        {
            bool exists;
            try
            {
                exists = config.Config.HasPath(path);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or Akka.Configuration.ConfigurationException)
            {
                error.WriteLine($"PATH {path}: not a valid setting path ({e.Message})");
                return NodeConfigOptions.BadConfigurationExitCode;
            }
            if (!exists)
            {
                error.WriteLine($"PATH {path}: expected a setting but found none at that path");
                return 1;
            }
        }
        output.Write(json ? ConfigPrinter.Json(config, path) + "\n" : ConfigPrinter.Hocon(config, path));
        return 0;
    }
}

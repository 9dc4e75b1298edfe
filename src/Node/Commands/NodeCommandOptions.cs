using System.CommandLine;
using ActorTasks.Hocon;

namespace ActorTasks.Node.Commands;

/// <summary>Options the node commands share besides configuration: the port, and the hidden id of a launching process.</summary>
public sealed class NodeCommandOptions
{
    /// <summary>Exit code of a node that could not start (e.g. its port is taken) or was downed.</summary>
    public const int FailedExitCode = 1;

    public NodeCommandOptions(string portDefault)
    {
        Port = new Option<int?>("--port", "-p")
        {
            Description = $"TCP port to listen on, 0 = any free port (default: {portDefault}); overrides actortasks.remote.port",
            HelpName = "PORT",
        };
    }

    public NodeConfigOptions Config { get; } = new();

    public Option<int?> Port { get; }

    /// <summary>Set by the demo: the node ends when that process does, so nothing outlives it.</summary>
    public Option<int?> ParentPid { get; } = new("--parent-pid") { Hidden = true };

    public NodeCommandOptions AddTo(Command command)
    {
        Config.AddTo(command);
        command.Options.Add(Port);
        command.Options.Add(ParentPid);
        return this;
    }

    /// <summary>HOCON from other command options (e.g. <c>--roles</c>), layered with <c>--port</c> over everything else.</summary>
    public string? ExtraConfig { get; set; }

    /// <summary>Loads the role's configuration with <c>--port</c> on top; null (after printing why) when it is bad.</summary>
    public Config? TryLoad(ParseResult parseResult, string? role, TextWriter error)
    {
        var config = Config.TryLoad(parseResult, role, error);
        if (config is null) return null;
        if (ExtraConfig is { } extra) config = ConfigFactory.ParseString(extra).WithFallback(config);
        var port = parseResult.GetValue(Port);
        if (port is { } p)
        {
            if (p is < 0 or > 65535)
            {
                error.WriteLine($"--port: expected 0 to 65535, not {p}");
                return null;
            }
            return ConfigFactory.ParseString($"actortasks.remote.port = {p}").WithFallback(config);
        }
        return config;
    }
}

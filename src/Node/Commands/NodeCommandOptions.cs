using System.CommandLine;
using System.Globalization;
using ActorTasks.Node.Configuration;

namespace ActorTasks.Node.Commands;

/// <summary>Options the node commands share besides configuration: the port, the TLS certificate, and the hidden id of a launching process.</summary>
public sealed class NodeCommandOptions
{
    /// <summary>Exit code of a node that could not start (e.g. its port is taken) or was downed.</summary>
    public const int FailedExitCode = 1;

    public NodeCommandOptions(string portDefault)
    {
        Port = new Option<string?>("--port", "-p")
        {
            Description = $"TCP port to listen on, 0 = any free port (default: {portDefault}); overrides akka.remote.dot-netty.tcp.port",
            HelpName = "PORT",
        };
    }

    public NodeConfigOptions Config { get; } = new();

    public Option<string?> Port { get; }

    public Option<string?> TlsCertificate { get; } = new("--tls-cert")
    {
        Description = "The cluster's PFX certificate (see actortasks certs new): TLS with mutual authentication; its password comes from ACTORTASKS_TLS_PASSWORD",
        HelpName = "FILE",
    };

    /// <summary>Set by the demo: the node ends when that process does, so nothing outlives it.</summary>
    public Option<int?> ParentPid { get; } = new("--parent-pid") { Hidden = true };

    public NodeCommandOptions AddTo(Command command)
    {
        Config.AddTo(command);
        command.Options.Add(Port);
        command.Options.Add(TlsCertificate);
        command.Options.Add(ParentPid);
        return this;
    }

    /// <summary>HOCON from other command options (e.g. <c>--roles</c>), layered with <c>--port</c> over everything else.</summary>
    public string? ExtraConfig { get; set; }

    /// <summary>Loads the role's configuration with the command's own options on top; null (after printing why) when it is bad.</summary>
    public NodeConfig? TryLoad(ParseResult parseResult, string? role, TextWriter error)
    {
        var config = Config.TryLoad(parseResult, role, error);
        if (config is null) return null;
        try
        {
            if (ExtraConfig is { } extra) config = config.With("command line", extra);
            if (parseResult.GetValue(TlsCertificate) is { } certificate)
                config = config.With("--tls-cert", $"actortasks.remote.tls.certificate-path = \"{Path.GetFullPath(certificate).Replace("\\", "\\\\", StringComparison.Ordinal)}\"");
            if (parseResult.GetValue(Port) is { } text)
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                {
                    error.WriteLine($"--port: expected 0 to 65535, not '{text}'");
                    return null;
                }
                config = config.With("--port", $"akka.remote.dot-netty.tcp.port = {port}");
            }
            NodeSettings.Create(config);
            return config;
        }
        catch (ConfigException e)
        {
            error.WriteLine(e.Message);
            return null;
        }
    }
}

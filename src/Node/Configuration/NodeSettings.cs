using System.Net;
using ActorTasks.Tasks.Configuration;
using Serilog.Events;

namespace ActorTasks.Node.Configuration;

/// <summary>What the node itself reads from its configuration: logging, where it listens, its roles and its TLS certificate.</summary>
public sealed record NodeSettings
{
    /// <summary>The log level of Serilog and of Akka (<c>actortasks.log.level</c>).</summary>
    public LogEventLevel LogLevel { get; init; } = LogEventLevel.Information;

    /// <summary>
    /// Akka's own log level (<c>akka.loglevel</c>: DEBUG, INFO, WARNING, ERROR, OFF): the one a layer set, else the one
    /// <see cref="LogLevel"/> gives. The file and console then take the more detailed of the two.
    /// </summary>
    public string AkkaLogLevel { get; init; } = "INFO";

    /// <summary>Whether log events go to the console as well as to the file (<c>actortasks.log.console</c>).</summary>
    public bool LogToConsole { get; init; } = true;

    /// <summary>The folder of the node's rolling log files (<c>actortasks.log.file-directory</c>).</summary>
    public string LogDirectory { get; init; } = "logs";

    /// <summary>The interface the node binds (<c>akka.remote.dot-netty.tcp.hostname</c>).</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>The host name others dial (<c>akka.remote.dot-netty.tcp.public-hostname</c>); null: <see cref="Hostname"/>.</summary>
    public string? PublicHostname { get; init; }

    /// <summary>True when the node binds every interface (0.0.0.0 or ::), which others cannot dial as such.</summary>
    public bool BindsAnyAddress => Hostname is "0.0.0.0" or "::" or "[::]";

    /// <summary>The TCP port (<c>akka.remote.dot-netty.tcp.port</c>); 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The node's cluster roles (<c>akka.cluster.roles</c>).</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Seed nodes from the configuration (<c>akka.cluster.seed-nodes</c>); when set, Akka joins them by itself.</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>The cluster certificate (PFX); null runs plain TCP.</summary>
    public string? TlsCertificatePath { get; init; }

    /// <summary>The certificate's password: <c>actortasks.remote.tls.certificate-password</c>, else <c>ACTORTASKS_TLS_PASSWORD</c>.</summary>
    public string? TlsCertificatePassword { get; init; }

    /// <summary>Plain TCP on an interface other than loopback, on purpose (<c>actortasks.remote.allow-unencrypted</c>).</summary>
    public bool AllowUnencrypted { get; init; }

    /// <summary>A seed runs consumers too (<c>actortasks.tasks.run-consumers</c>).</summary>
    public bool RunConsumers { get; init; }

    /// <summary>Where job-kind plug-ins are loaded from (<c>actortasks.tasks.plugins-directory</c>).</summary>
    public string PluginsDirectory { get; init; } = "plugins";

    /// <summary>True when the node listens on loopback only.</summary>
    public bool IsLoopback => Hostname is "localhost" || (IPAddress.TryParse(Hostname, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Environment variable read for the certificate's password when the setting is empty.</summary>
    public const string TlsPasswordVariable = "ACTORTASKS_TLS_PASSWORD";

    /// <summary>Reads the settings; a wrong type throws <see cref="ConfigException"/> naming the layer and the key.</summary>
    public static NodeSettings Create(NodeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.Config;
        try
        {
            var level = SettingReader.String(c, "actortasks.log.level", "info")!.Trim().ToLowerInvariant();
            var logLevel = level switch
            {
                "verbose" => LogEventLevel.Verbose,
                "debug" => LogEventLevel.Debug,
                "info" or "information" => LogEventLevel.Information,
                "warning" => LogEventLevel.Warning,
                "error" => LogEventLevel.Error,
                "fatal" => LogEventLevel.Fatal,
                _ => throw new SettingsException("actortasks.log.level", $"expected verbose, debug, info, warning, error or fatal, got \"{level}\""),
            };
            var akkaLevel = AkkaLevel(logLevel);
            // akka.loglevel set by a layer of the user's (not the built-in reference) is Akka's level, as in any Akka.NET app.
            if (config.SourceOf("akka.loglevel") is { } source && source != config.Layers[0].Source)
            {
                akkaLevel = SettingReader.String(c, "akka.loglevel", "INFO")!.Trim().ToUpperInvariant();
                if (akkaLevel is not ("DEBUG" or "INFO" or "WARNING" or "ERROR" or "OFF"))
                    throw new SettingsException("akka.loglevel", $"expected DEBUG, INFO, WARNING, ERROR or OFF, got \"{akkaLevel}\"");
                if (akkaLevel == "DEBUG" && logLevel > LogEventLevel.Debug) logLevel = LogEventLevel.Debug;
                else if (akkaLevel == "INFO" && logLevel > LogEventLevel.Information) logLevel = LogEventLevel.Information;
            }
            return new NodeSettings
            {
                LogLevel = logLevel,
                AkkaLogLevel = akkaLevel,
                LogToConsole = SettingReader.Bool(c, "actortasks.log.console", true),
                LogDirectory = SettingReader.String(c, "actortasks.log.file-directory", "logs") is { Length: > 0 } directory ? directory : "logs",
                Hostname = SettingReader.String(c, "akka.remote.dot-netty.tcp.hostname", "127.0.0.1") is { Length: > 0 } host ? host : "127.0.0.1",
                PublicHostname = SettingReader.String(c, "akka.remote.dot-netty.tcp.public-hostname", null) is { Length: > 0 } publicHost ? publicHost : null,
                Port = ReadPort(c),
                Roles = SettingReader.StringList(c, "akka.cluster.roles"),
                SeedNodes = SettingReader.StringList(c, "akka.cluster.seed-nodes"),
                TlsCertificatePath = SettingReader.String(c, "actortasks.remote.tls.certificate-path", null) is { Length: > 0 } cert ? cert : null,
                TlsCertificatePassword = SettingReader.String(c, "actortasks.remote.tls.certificate-password", null) is { Length: > 0 } password
                    ? password
                    : Environment.GetEnvironmentVariable(TlsPasswordVariable),
                AllowUnencrypted = SettingReader.Bool(c, "actortasks.remote.allow-unencrypted", false),
                RunConsumers = SettingReader.Bool(c, "actortasks.tasks.run-consumers", false),
                PluginsDirectory = SettingReader.String(c, "actortasks.tasks.plugins-directory", "plugins") ?? "plugins",
            };
        }
        catch (SettingsException e)
        {
            throw config.Invalid(e);
        }
    }

    private static string AkkaLevel(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
        LogEventLevel.Information => "INFO",
        LogEventLevel.Warning => "WARNING",
        _ => "ERROR",
    };

    private static int ReadPort(Akka.Configuration.Config c)
    {
        var port = SettingReader.Int(c, "akka.remote.dot-netty.tcp.port", 0);
        return port is >= 0 and <= 65535 ? port : throw new SettingsException("akka.remote.dot-netty.tcp.port", $"expected 0 to 65535, got {port}");
    }
}

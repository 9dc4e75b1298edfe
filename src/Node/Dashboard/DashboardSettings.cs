using System.Net;
using ActorTasks.Node.Configuration;
using ActorTasks.Tasks.Configuration;

namespace ActorTasks.Node.Dashboard;

/// <summary>The web dashboard's settings (<c>actortasks.dashboard</c>): whether it runs, where it listens, and its token.</summary>
public sealed record DashboardSettings
{
    /// <summary>Environment variable read for the token when <c>actortasks.dashboard.token</c> is empty.</summary>
    public const string TokenVariable = "ACTORTASKS_DASHBOARD_TOKEN";

    /// <summary>Whether the node serves the dashboard (<c>actortasks.dashboard.enabled</c>; on in hocon/seed.conf).</summary>
    public bool Enabled { get; init; }

    /// <summary>The interface it listens on (<c>actortasks.dashboard.hostname</c>).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port (<c>actortasks.dashboard.port</c>); 0 picks a free one.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>The token a browser or API client must present; null: none asked (loopback only).</summary>
    public string? Token { get; init; }

    /// <summary>Reads and checks the settings: a bad value, or an interface other than loopback without a token, throws <see cref="ConfigException"/> naming the setting.</summary>
    public static DashboardSettings Create(NodeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.Config;
        try
        {
            var hostname = SettingReader.String(c, "actortasks.dashboard.hostname", "127.0.0.1") is { Length: > 0 } h ? h.Trim() : "127.0.0.1";
            var address = hostname == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(hostname.Trim('[', ']'), out var ip) ? ip
                : throw new SettingsException("actortasks.dashboard.hostname", $"expected an IP address of this machine such as 127.0.0.1 or 0.0.0.0, got \"{hostname}\"");
            var port = SettingReader.Int(c, "actortasks.dashboard.port", 8080);
            if (port is < 0 or > 65535) throw new SettingsException("actortasks.dashboard.port", $"expected 0 to 65535, got {port}");
            var token = SettingReader.String(c, "actortasks.dashboard.token", null) is { Length: > 0 } t ? t : Environment.GetEnvironmentVariable(TokenVariable);
            var settings = new DashboardSettings
            {
                Enabled = SettingReader.Bool(c, "actortasks.dashboard.enabled", false),
                Address = address,
                Port = port,
                Token = string.IsNullOrEmpty(token) ? null : token,
            };
            if (settings.Enabled && settings.Token is null && !IPAddress.IsLoopback(address))
            {
                throw new SettingsException("actortasks.dashboard.hostname",
                    $"the dashboard on {hostname} is reachable from other machines, so it needs a token: set actortasks.dashboard.token " +
                    $"(or the environment variable {TokenVariable}) to a long random secret, or keep actortasks.dashboard.hostname on 127.0.0.1");
            }
            return settings;
        }
        catch (SettingsException e)
        {
            throw config.Invalid(e);
        }
    }
}

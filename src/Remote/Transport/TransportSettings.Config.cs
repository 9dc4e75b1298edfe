using ActorTasks.Hocon;

namespace ActorTasks.Remote.Transport;

public sealed partial record TransportSettings
{
    private const string Prefix = "actortasks.remote.";

    /// <summary>
    /// Reads <c>actortasks.remote.*</c> (missing keys keep their defaults; <c>null</c> means unset). A value of the wrong
    /// type, out of range, or in a bad combination throws <see cref="ConfigException"/> naming the key and where it was set.
    /// </summary>
    public static TransportSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var d = Default;
        var frameSize = config.GetByteSize(Prefix + "maximum-frame-size", d.MaximumFrameSize);
        if (frameSize is < 1 or > int.MaxValue)
            throw Invalid(config, Prefix + "maximum-frame-size", "must be between 1 KiB and 1 GiB");
        var settings = new TransportSettings
        {
            Hostname = config.GetString(Prefix + "hostname", d.Hostname),
            Port = config.GetInt(Prefix + "port", d.Port),
            PublicHostname = NullIfEmpty(config.GetString(Prefix + "public-hostname", "")),
            MaximumFrameSize = (int)frameSize,
            Secret = NullIfEmpty(config.GetString(Prefix + "secret", "")),
            HandshakeTimeout = config.GetTimeSpan(Prefix + "handshake-timeout", d.HandshakeTimeout),
            ReconnectBackoffMin = config.GetTimeSpan(Prefix + "reconnect-backoff-min", d.ReconnectBackoffMin),
            ReconnectBackoffMax = config.GetTimeSpan(Prefix + "reconnect-backoff-max", d.ReconnectBackoffMax),
            MaxPendingConnections = config.GetInt(Prefix + "max-pending-connections", d.MaxPendingConnections),
            OutboundQueueLimit = config.GetInt(Prefix + "outbound-queue-limit", d.OutboundQueueLimit),
            OutboundQueueByteLimit = config.GetByteSize(Prefix + "outbound-queue-byte-limit", d.OutboundQueueByteLimit),
            ShutdownTimeout = config.GetTimeSpan(Prefix + "shutdown-timeout", d.ShutdownTimeout),
            Tls = new TlsOptions
            {
                CertificatePath = NullIfEmpty(config.GetString(Prefix + "tls.certificate-path", "")),
                CertificatePassword = NullIfEmpty(config.GetString(Prefix + "tls.certificate-password", "")),
                PrivateKeyPath = NullIfEmpty(config.GetString(Prefix + "tls.private-key-path", "")),
                ValidateCertificates = config.GetBoolean(Prefix + "tls.validate-certificates", TlsOptions.Disabled.ValidateCertificates),
            },
        };
        foreach (var (key, problem) in settings.Problems())
            throw Invalid(config, key, problem);
        return settings;
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;

    private static ConfigException Invalid(Config config, string key, string problem)
    {
        return new ConfigException($"{key}: {problem}", config.GetValueOrNull(key)?.Origin, key);
    }
}

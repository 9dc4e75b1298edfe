using System.Text;

namespace ActorTasks.Remote.Transport;

/// <summary>The TCP transport's settings (<c>actortasks.remote.*</c>); <see cref="ToString"/> never shows the secret.</summary>
public sealed partial record TransportSettings
{
    /// <summary>The defaults: loopback, any free port, 4 MiB frames, no secret, no TLS.</summary>
    public static readonly TransportSettings Default = new();

    internal const int MaxHostNameBytes = 255;

    /// <summary>The interface to bind (<c>hostname</c>); 127.0.0.1 unless configured otherwise.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>The port to bind (<c>port</c>); 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The host peers dial (<c>public-hostname</c>), when it differs from <see cref="Hostname"/> (required when binding 0.0.0.0 or ::).</summary>
    public string? PublicHostname { get; init; }

    /// <summary>The largest frame payload sent or accepted, in bytes (<c>maximum-frame-size</c>).</summary>
    public int MaximumFrameSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// The shared secret proven in the handshake (<c>secret</c>, or <c>ACTORTASKS__remote__secret</c>); never logged, never
    /// sent. Null or empty means none: such a node accepts peers without a secret and refuses peers that have one.
    /// </summary>
    public string? Secret { get; init; }

    /// <summary>How long connecting, TLS and the handshake may take before the connection is closed (<c>handshake-timeout</c>).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first delay before a lost or failed peer is dialed again (<c>reconnect-backoff-min</c>); it doubles per failure.</summary>
    public TimeSpan ReconnectBackoffMin { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between attempts to dial a peer (<c>reconnect-backoff-max</c>).</summary>
    public TimeSpan ReconnectBackoffMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Inbound connections allowed at once before they complete the handshake (<c>max-pending-connections</c>); more are closed at once.</summary>
    public int MaxPendingConnections { get; init; } = 64;

    /// <summary>Frames queued per peer before sends fail with <see cref="SendFailure.QueueFull"/> (<c>outbound-queue-limit</c>).</summary>
    public int OutboundQueueLimit { get; init; } = 10_000;

    /// <summary>Payload bytes queued per peer before sends fail with <see cref="SendFailure.QueueFull"/> (<c>outbound-queue-byte-limit</c>).</summary>
    public long OutboundQueueByteLimit { get; init; } = 64L * 1024 * 1024;

    /// <summary>How long a stopping transport lets each connection flush its queue before closing it (<c>shutdown-timeout</c>).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>TLS for all connections (<c>tls.*</c>); off by default.</summary>
    public TlsOptions Tls { get; init; } = TlsOptions.Disabled;

    /// <summary>The host this node advertises in the handshake, which peers use as its address.</summary>
    public string AdvertisedHost => string.IsNullOrWhiteSpace(PublicHostname) ? Hostname : PublicHostname;

    internal bool HasSecret => !string.IsNullOrEmpty(Secret);

    /// <summary>Checks ranges and combinations; throws <see cref="ArgumentException"/> whose message starts with the setting's key.</summary>
    public TransportSettings Validate()
    {
        ArgumentNullException.ThrowIfNull(Tls, nameof(Tls));
        foreach (var (key, problem) in Problems())
            throw new ArgumentException($"{key} {problem}");
        return this;
    }

    /// <summary>Every setting that is out of range or does not fit with another, by its full configuration key.</summary>
    internal IEnumerable<(string Key, string Problem)> Problems()
    {
        const string p = "actortasks.remote.";
        if (string.IsNullOrWhiteSpace(Hostname)) yield return (p + "hostname", "must not be empty");
        if (Port is < 0 or > 65535) yield return (p + "port", $"must be between 0 and 65535, not {Port}");
        if (PublicHostname is not null && string.IsNullOrWhiteSpace(PublicHostname))
            yield return (p + "public-hostname", "must not be blank (leave it unset to advertise actortasks.remote.hostname)");
        if (BindAddress.IsWildcard(Hostname) && PublicHostname is null)
            yield return (p + "public-hostname", $"must be set when actortasks.remote.hostname is '{Hostname}': peers need an address to dial");
        if (!string.IsNullOrEmpty(AdvertisedHost) && Encoding.UTF8.GetByteCount(AdvertisedHost) > MaxHostNameBytes)
            yield return (p + "public-hostname", $"(or hostname) must be at most {MaxHostNameBytes} bytes");
        if (MaximumFrameSize is < 1024 or > 1024 * 1024 * 1024)
            yield return (p + "maximum-frame-size", $"must be between 1 KiB and 1 GiB, not {MaximumFrameSize} bytes");
        if (HandshakeTimeout <= TimeSpan.Zero || HandshakeTimeout > TimeSpan.FromMinutes(5))
            yield return (p + "handshake-timeout", $"must be positive and at most 5 minutes, not {HandshakeTimeout}");
        if (ReconnectBackoffMin <= TimeSpan.Zero)
            yield return (p + "reconnect-backoff-min", $"must be positive, not {ReconnectBackoffMin}");
        if (ReconnectBackoffMax < ReconnectBackoffMin || ReconnectBackoffMax > TimeSpan.FromHours(1))
            yield return (p + "reconnect-backoff-max", "must be at least reconnect-backoff-min and at most 1 hour");
        if (MaxPendingConnections < 1) yield return (p + "max-pending-connections", $"must be at least 1, not {MaxPendingConnections}");
        if (OutboundQueueLimit < 1) yield return (p + "outbound-queue-limit", $"must be at least 1, not {OutboundQueueLimit}");
        if (OutboundQueueByteLimit < MaximumFrameSize)
            yield return (p + "outbound-queue-byte-limit", $"must be at least maximum-frame-size ({MaximumFrameSize} bytes), not {OutboundQueueByteLimit}");
        if (ShutdownTimeout < TimeSpan.Zero) yield return (p + "shutdown-timeout", $"must not be negative, not {ShutdownTimeout}");
        foreach (var problem in Tls.Problems()) yield return problem;
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Hostname = ").Append(Hostname)
            .Append(", Port = ").Append(Port)
            .Append(", PublicHostname = ").Append(PublicHostname)
            .Append(", MaximumFrameSize = ").Append(MaximumFrameSize)
            .Append(", Secret = ").Append(HasSecret ? "***" : "(none)")
            .Append(", HandshakeTimeout = ").Append(HandshakeTimeout)
            .Append(", ReconnectBackoffMin = ").Append(ReconnectBackoffMin)
            .Append(", ReconnectBackoffMax = ").Append(ReconnectBackoffMax)
            .Append(", MaxPendingConnections = ").Append(MaxPendingConnections)
            .Append(", OutboundQueueLimit = ").Append(OutboundQueueLimit)
            .Append(", OutboundQueueByteLimit = ").Append(OutboundQueueByteLimit)
            .Append(", ShutdownTimeout = ").Append(ShutdownTimeout)
            .Append(", Tls = ").Append(Tls);
        return true;
    }
}

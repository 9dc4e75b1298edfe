using System.Net;
using ActorTasks.Remote.Transport;
using Xunit;

namespace ActorTasks.Remote.Tests.Transport;

public sealed class TransportSettingsTests
{
    [Fact]
    public void Defaults_bind_loopback_on_any_free_port_with_4_MiB_frames_and_validate()
    {
        var settings = TransportSettings.Default.Validate();

        Assert.Equal("127.0.0.1", settings.Hostname);
        Assert.Equal(0, settings.Port);
        Assert.Equal(4 * 1024 * 1024, settings.MaximumFrameSize);
        Assert.Null(settings.Secret);
        Assert.False(settings.Tls.Enabled);
    }

    [Theory]
    [InlineData(512, "actortasks.remote.maximum-frame-size must be between 1 KiB and 1 GiB")]
    [InlineData(int.MaxValue, "actortasks.remote.maximum-frame-size must be between 1 KiB and 1 GiB")]
    public void An_out_of_range_frame_size_is_refused_naming_the_setting(int size, string message)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => (TransportSettings.Default with { MaximumFrameSize = size }).Validate());
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Each_invalid_setting_is_refused_with_its_own_name()
    {
        AssertRefused(TransportSettings.Default with { Port = 70000 }, "actortasks.remote.port");
        AssertRefused(TransportSettings.Default with { Hostname = " " }, "actortasks.remote.hostname");
        AssertRefused(TransportSettings.Default with { HandshakeTimeout = TimeSpan.Zero }, "actortasks.remote.handshake-timeout");
        AssertRefused(TransportSettings.Default with { ReconnectBackoffMin = TimeSpan.Zero }, "actortasks.remote.reconnect-backoff-min");
        AssertRefused(TransportSettings.Default with { ReconnectBackoffMax = TimeSpan.FromMilliseconds(1) }, "actortasks.remote.reconnect-backoff-max");
        AssertRefused(TransportSettings.Default with { MaxPendingConnections = 0 }, "actortasks.remote.max-pending-connections");
        AssertRefused(TransportSettings.Default with { OutboundQueueLimit = 0 }, "actortasks.remote.outbound-queue-limit");
        AssertRefused(TransportSettings.Default with { OutboundQueueByteLimit = 1024 }, "actortasks.remote.outbound-queue-byte-limit");
        AssertRefused(TransportSettings.Default with { Hostname = "0.0.0.0" }, "actortasks.remote.public-hostname must be set");
        AssertRefused(TransportSettings.Default with { Tls = new TlsOptions { PrivateKeyPath = "key.pem" } }, "actortasks.remote.tls.private-key-path");
    }

    [Fact]
    public void The_secret_and_the_certificate_password_never_appear_in_the_settings_text()
    {
        var settings = TransportSettings.Default with
        {
            Secret = "top-secret-value",
            Tls = new TlsOptions { CertificatePath = "node.pfx", CertificatePassword = "pfx-password-value" },
        };

        var text = settings.ToString();

        Assert.DoesNotContain("top-secret-value", text);
        Assert.DoesNotContain("pfx-password-value", text);
        Assert.Contains("Secret = ***", text);
        Assert.Contains("node.pfx", text);
    }

    [Fact]
    public void Binding_a_non_loopback_interface_without_a_secret_warns_and_loopback_does_not()
    {
        // Pure check on the address: the tests never bind anything but loopback.
        var open = TransportSettings.Default with { Hostname = "0.0.0.0", PublicHostname = "node1.example" };

        Assert.Contains(BindAddress.StartupWarnings(open, IPAddress.Any), w => w.Contains("without actortasks.remote.secret"));
        Assert.Empty(BindAddress.StartupWarnings(open with { Secret = "s" }, IPAddress.Any));
        Assert.Empty(BindAddress.StartupWarnings(TransportSettings.Default, IPAddress.Loopback));
        Assert.Empty(BindAddress.StartupWarnings(TransportSettings.Default, IPAddress.IPv6Loopback));
    }

    [Fact]
    public void Tls_without_a_secret_or_certificate_validation_warns_that_peers_are_not_authenticated()
    {
        var tls = TransportSettings.Default with { Tls = new TlsOptions { CertificatePath = "node.pfx" } };

        Assert.Contains(BindAddress.StartupWarnings(tls, IPAddress.Loopback), w => w.Contains("not authenticated"));
        Assert.Empty(BindAddress.StartupWarnings(tls with { Secret = "s" }, IPAddress.Loopback));
    }

    private static void AssertRefused(TransportSettings settings, string name)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => settings.Validate());
        Assert.Contains(name, error.Message);
    }
}

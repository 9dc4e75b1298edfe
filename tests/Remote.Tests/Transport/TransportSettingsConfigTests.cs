using ActorTasks.Configuration;
using ActorTasks.Hocon;
using ActorTasks.Remote.Transport;
using Xunit;

namespace ActorTasks.Remote.Tests.Transport;

public sealed class TransportSettingsConfigTests
{
    [Fact]
    public void Reference_conf_gives_the_transport_defaults()
    {
        Assert.Equal(TransportSettings.Default.ToString(), TransportSettings.Create(ReferenceConfig.Load()).ToString());
        Assert.Equal(TransportSettings.Default with { Tls = TransportSettings.Default.Tls }, TransportSettings.Create(ReferenceConfig.Load()));
    }

    [Fact]
    public void Reads_every_remote_setting()
    {
        var config = ConfigFactory.ParseString("""
            actortasks.remote {
              hostname = "0.0.0.0", port = 4053, public-hostname = "node1.example"
              maximum-frame-size = 1 MiB, secret = "s3cret", handshake-timeout = 2s
              reconnect-backoff-min = 50ms, reconnect-backoff-max = 1s, max-pending-connections = 8
              outbound-queue-limit = 100, outbound-queue-byte-limit = 8 MiB, shutdown-timeout = 1s
              tls { certificate-path = "/etc/node.pfx", certificate-password = "pw", validate-certificates = on }
            }
            """).WithFallback(ReferenceConfig.Load());
        var s = TransportSettings.Create(config);
        Assert.Equal(("0.0.0.0", 4053, "node1.example"), (s.Hostname, s.Port, s.PublicHostname));
        Assert.Equal(1024 * 1024, s.MaximumFrameSize);
        Assert.Equal("s3cret", s.Secret);
        Assert.Equal(TimeSpan.FromSeconds(2), s.HandshakeTimeout);
        Assert.Equal((TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)), (s.ReconnectBackoffMin, s.ReconnectBackoffMax));
        Assert.Equal((8, 100, 8L * 1024 * 1024), (s.MaxPendingConnections, s.OutboundQueueLimit, s.OutboundQueueByteLimit));
        Assert.Equal(TimeSpan.FromSeconds(1), s.ShutdownTimeout);
        Assert.Equal(("/etc/node.pfx", "pw", true), (s.Tls.CertificatePath, s.Tls.CertificatePassword, s.Tls.ValidateCertificates));
        Assert.DoesNotContain("s3cret", s.ToString());
    }

    [Fact]
    public void The_secret_can_come_from_the_environment_variable()
    {
        var env = new System.Collections.Hashtable { ["ACTORTASKS__remote__secret"] = "from-env" };
        var config = ConfigLoader.Load(null, null, [], env);
        Assert.Equal("from-env", TransportSettings.Create(config).Secret);
    }

    [Theory]
    [InlineData("actortasks.remote.port = 70000", "actortasks.remote.port: must be between 0 and 65535")]
    [InlineData("actortasks.remote.maximum-frame-size = 10", "actortasks.remote.maximum-frame-size: must be between 1 KiB and 1 GiB")]
    [InlineData("actortasks.remote.maximum-frame-size = 5 GiB", "actortasks.remote.maximum-frame-size: must be between 1 KiB and 1 GiB")]
    [InlineData("actortasks.remote.handshake-timeout = 0s", "actortasks.remote.handshake-timeout: must be positive")]
    [InlineData("actortasks.remote.port = lots", "expected an int")]
    public void A_bad_value_names_the_key_and_where_it_was_set(string text, string expected)
    {
        var config = ConfigFactory.ParseString("\n" + text, "node.conf").WithFallback(ReferenceConfig.Load());
        var e = Assert.Throws<ConfigException>(() => TransportSettings.Create(config));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("node.conf:2", e.Message);
    }

    [Fact]
    public void Binding_every_interface_without_a_public_hostname_is_refused()
    {
        var config = ConfigFactory.ParseString("actortasks.remote.hostname = \"0.0.0.0\"", "node.conf").WithFallback(ReferenceConfig.Load());
        var e = Assert.Throws<ConfigException>(() => TransportSettings.Create(config));
        Assert.Contains("actortasks.remote.public-hostname: must be set", e.Message);
    }
}

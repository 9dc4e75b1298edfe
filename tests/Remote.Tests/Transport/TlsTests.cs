using ActorTasks.Remote.Tests.Transport.Support;
using ActorTasks.Remote.Transport;
using Serilog.Events;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.Transport;

public sealed class TlsTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TestNode.Timeout;
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    private TlsOptions Pfx => new() { CertificatePath = _certificates.PfxPath, CertificatePassword = TestCertificates.PfxPassword };

    private TlsOptions Pem => new() { CertificatePath = _certificates.PemCertificatePath, PrivateKeyPath = _certificates.PemKeyPath };

    [Fact]
    public async Task Frames_round_trip_over_TLS_with_a_self_signed_PFX_certificate_and_a_secret()
    {
        var settings = TransportSettings.Default with { Secret = "tls-secret", Tls = Pfx };
        await using var a = await TestNode.StartAsync(output, "a", settings);
        await using var b = await TestNode.StartAsync(output, "b", settings);

        await a.SendSequenceAsync(b, 0, 1_000, 200);
        await b.SendSequenceAsync(a, 0, 1_000, 200);
        await Task.WhenAll(b.Handler.WaitForFramesAsync(1_000, Timeout), a.Handler.WaitForFramesAsync(1_000, Timeout));

        Assert.Empty(a.Handler.OrderErrors);
        Assert.Empty(b.Handler.OrderErrors);
        Assert.Equal(1, a.Log.Count(LogEventLevel.Information, "with TLS"));
    }

    [Fact]
    public async Task Frames_round_trip_over_TLS_with_a_PEM_certificate_and_key()
    {
        var settings = TransportSettings.Default with { Tls = Pem };
        await using var a = await TestNode.StartAsync(output, "a", settings);
        await using var b = await TestNode.StartAsync(output, "b", settings);

        a.Send(b, TestNode.Frame(0, 100_000));
        await b.Handler.WaitForFramesAsync(1, Timeout);
    }

    [Fact]
    public async Task A_plain_node_dialing_a_TLS_node_is_refused_with_one_clear_line_on_each_side()
    {
        var longBackoff = TransportSettings.Default with { ReconnectBackoffMin = TimeSpan.FromSeconds(30), ReconnectBackoffMax = TimeSpan.FromSeconds(30) };
        await using var plain = await TestNode.StartAsync(output, "plain", longBackoff);
        await using var secure = await TestNode.StartAsync(output, "secure", TransportSettings.Default with { Tls = Pfx });

        plain.Send(secure, TestNode.Frame(0));

        var failed = (TransportEvent.Failed)await plain.Handler.Events.WaitForAsync(e => e is TransportEvent.Failed, Timeout, "refusal");
        Assert.Contains("TLS", failed.Reason);
        await secure.Log.WaitForAsync(LogEventLevel.Warning, "TLS handshake failed", Timeout);
        Assert.Equal(0, secure.Handler.FrameCount);
    }

    [Fact]
    public async Task With_certificate_validation_on_a_self_signed_certificate_is_refused()
    {
        var validating = TransportSettings.Default with { Tls = Pfx with { ValidateCertificates = true } };
        await using var a = await TestNode.StartAsync(output, "a", validating);
        await using var b = await TestNode.StartAsync(output, "b", TransportSettings.Default with { Tls = Pfx });

        a.Send(b, TestNode.Frame(0));

        var failed = (TransportEvent.Failed)await a.Handler.Events.WaitForAsync(e => e is TransportEvent.Failed, Timeout, "refusal");
        Assert.Contains("TLS handshake failed", failed.Reason);
        Assert.Equal(0, b.Handler.FrameCount);
    }

    [Fact]
    public async Task A_missing_certificate_file_fails_start_up_naming_the_setting()
    {
        var settings = TransportSettings.Default with { Tls = new TlsOptions { CertificatePath = Path.Combine(_certificates.Folder, "missing.pfx") } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => TestNode.StartAsync(output, "a", settings));

        Assert.StartsWith("actortasks.remote.tls.certificate-path: cannot load", error.Message);
    }
}

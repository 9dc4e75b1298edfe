using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorTasks.Remote.Tests.Transport.Support;

/// <summary>A self-signed certificate for 127.0.0.1, written as a PFX and as PEM files in a temporary folder.</summary>
public sealed class TestCertificates : IDisposable
{
    public const string PfxPassword = "test-password";

    public TestCertificates()
    {
        Folder = Directory.CreateTempSubdirectory("actortasks-tls-").FullName;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        PfxPath = Path.Combine(Folder, "node.pfx");
        File.WriteAllBytes(PfxPath, certificate.Export(X509ContentType.Pfx, PfxPassword));
        PemCertificatePath = Path.Combine(Folder, "node.crt");
        File.WriteAllText(PemCertificatePath, certificate.ExportCertificatePem());
        PemKeyPath = Path.Combine(Folder, "node.key");
        File.WriteAllText(PemKeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public string Folder { get; }

    public string PfxPath { get; }

    public string PemCertificatePath { get; }

    public string PemKeyPath { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

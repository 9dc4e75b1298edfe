using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorTasks.Node.Configuration;
using Akka.Remote.Transport.DotNetty;

namespace ActorTasks.Node.Hosting;

/// <summary>
/// TLS with mutual authentication between nodes: every node of a cluster is given the same certificate (made by
/// <c>actortasks certs new</c>), presents it, and accepts a peer only if the peer presents that very certificate
/// (pinned by thumbprint). A node with another certificate, or none, is refused at the handshake.
/// </summary>
public static class NodeTls
{
    /// <summary>The certificate named by the settings, or null when TLS is off; an unreadable file throws <see cref="ConfigException"/>.</summary>
    public static X509Certificate2? Load(NodeSettings settings, NodeConfig config)
    {
        if (settings.TlsCertificatePath is not { } path) return null;
        var source = config.SourceOf("actortasks.remote.tls.certificate-path") ?? "configuration";
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, settings.TlsCertificatePassword);
            if (!certificate.HasPrivateKey)
                throw new ConfigException($"{source}: actortasks.remote.tls.certificate-path: {path} holds no private key; use the PFX that actortasks certs new wrote");
            return certificate;
        }
        catch (CryptographicException e)
        {
            throw new ConfigException(
                $"{source}: actortasks.remote.tls.certificate-path: {path} could not be read as a PFX certificate ({e.Message.TrimEnd('.')}); " +
                $"is the password right (actortasks.remote.tls.certificate-password or {NodeSettings.TlsPasswordVariable})?", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{source}: actortasks.remote.tls.certificate-path: {path}: {e.Message}", e);
        }
    }

    /// <summary>Akka.Remote's TLS setup for <paramref name="certificate"/>: mutual authentication, the peer pinned to this very certificate.</summary>
    public static DotNettySslSetup Setup(X509Certificate2 certificate) => new(
        certificate,
        suppressValidation: false,
        requireMutualAuthentication: true,
        validateCertificateHostname: false,
        customValidator: CertificateValidation.PinnedCertificate(certificate.Thumbprint));

    /// <summary>
    /// Makes a self-signed cluster certificate (RSA 2048, valid for <paramref name="validFor"/>, for both server and
    /// client authentication) and writes it to <paramref name="pfxPath"/> protected by <paramref name="password"/>.
    /// </summary>
    public static X509Certificate2 Create(string pfxPath, string password, string subject, TimeSpan validFor)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(validFor));
        var bytes = certificate.Export(X509ContentType.Pkcs12, password);
        var temporary = pfxPath + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, pfxPath, overwrite: false);
        return X509CertificateLoader.LoadPkcs12(bytes, password);
    }
}

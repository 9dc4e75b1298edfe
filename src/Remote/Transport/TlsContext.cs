using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorTasks.Remote.Transport;

/// <summary>
/// The loaded certificate and the SslStream set-up for both directions. Every connection of a TLS node is TLS; the
/// handshake MACs then also cover the hash of the server certificate (a channel binding), so a man in the middle
/// presenting its own certificate cannot complete the handshake without the shared secret.
/// </summary>
internal sealed class TlsContext : IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly SslStreamCertificateContext _serverContext;
    private readonly bool _validate;
    private readonly byte[] _ownBinding;

    private TlsContext(X509Certificate2 certificate, bool validate)
    {
        _certificate = certificate;
        _validate = validate;
        _serverContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        _ownBinding = SHA256.HashData(certificate.RawData);
    }

    /// <summary>Loads the certificate named by <paramref name="options"/>, or returns null when TLS is off.</summary>
    public static TlsContext? Create(TlsOptions options)
    {
        if (!options.Enabled) return null;
        var path = options.CertificatePath!;
        X509Certificate2 certificate;
        try
        {
            certificate = TlsOptions.IsPfx(path)
                ? X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword)
                : LoadPem(path, options.PrivateKeyPath ?? path, options.CertificatePassword);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ArgumentException($"actortasks.remote.tls.certificate-path: cannot load '{path}': {e.Message}", nameof(options), e);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ArgumentException($"actortasks.remote.tls.certificate-path: '{path}' has no private key (set actortasks.remote.tls.private-key-path for a PEM key in another file)", nameof(options));
        }
        return new TlsContext(certificate, options.ValidateCertificates);
    }

    /// <summary>Runs the server side of TLS; returns the stream and the channel binding (hash of our certificate).</summary>
    public async Task<(SslStream Stream, byte[] Binding)> AuthenticateAsServerAsync(Stream inner, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _serverContext,
                ClientCertificateRequired = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, cancellationToken).ConfigureAwait(false);
            return (ssl, _ownBinding);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs the client side of TLS against <paramref name="host"/>; returns the stream and the channel binding (hash of the server's certificate).</summary>
    public async Task<(SslStream Stream, byte[] Binding)> AuthenticateAsClientAsync(Stream inner, string host, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                CertificateRevocationCheckMode = _validate ? X509RevocationMode.Online : X509RevocationMode.NoCheck,
                // Without validation, trust rests on the shared secret, whose MAC covers this certificate's hash.
                RemoteCertificateValidationCallback = _validate ? null : static (_, _, _, _) => true,
            }, cancellationToken).ConfigureAwait(false);
            var serverCertificate = ssl.RemoteCertificate ?? throw new AuthenticationException("the server sent no certificate");
            return (ssl, SHA256.HashData(serverCertificate.GetRawCertData()));
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public void Dispose() => _certificate.Dispose();

    private static X509Certificate2 LoadPem(string certificatePath, string keyPath, string? password)
    {
        using var pem = string.IsNullOrEmpty(password)
            ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, keyPath);
        // SslStream on some platforms cannot use the ephemeral key of a PEM-loaded certificate; a PKCS#12 round trip gives it a usable one.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }
}

using System.Text;

namespace ActorTasks.Remote.Transport;

/// <summary>TLS for every connection of a node (<c>actortasks.remote.tls.*</c>); disabled while no certificate path is set.</summary>
public sealed record TlsOptions
{
    /// <summary>No TLS: connections are plain TCP.</summary>
    public static readonly TlsOptions Disabled = new();

    /// <summary>A PFX/PKCS#12 file, or a PEM certificate (with <see cref="PrivateKeyPath"/>, or the key in the same file).</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The password of the PFX file or of an encrypted PEM key; never logged.</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>The PEM private key of a PEM certificate, when it is not in <see cref="CertificatePath"/> itself.</summary>
    public string? PrivateKeyPath { get; init; }

    /// <summary>
    /// When true, a dialing node checks the peer's certificate chain and host name (a certificate the machine trusts).
    /// When false (default) any certificate is accepted and trust rests on the shared secret, whose HMAC covers
    /// the server certificate, so a man in the middle with another certificate fails the handshake.
    /// </summary>
    public bool ValidateCertificates { get; init; }

    /// <summary>True when a certificate path is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>Checks that the paths fit together; the message names the setting.</summary>
    public TlsOptions Validate()
    {
        foreach (var (key, problem) in Problems())
            throw new ArgumentException($"{key} {problem}");
        return this;
    }

    /// <summary>Settings that do not fit together, by their full configuration key.</summary>
    internal IEnumerable<(string Key, string Problem)> Problems()
    {
        if (!Enabled && PrivateKeyPath is not null)
            yield return ("actortasks.remote.tls.private-key-path", "is set but actortasks.remote.tls.certificate-path is not");
        if (Enabled && PrivateKeyPath is not null && IsPfx(CertificatePath!))
            yield return ("actortasks.remote.tls.private-key-path", "applies to a PEM certificate, but actortasks.remote.tls.certificate-path names a PFX file");
    }

    internal static bool IsPfx(string path) =>
        path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("CertificatePath = ").Append(CertificatePath)
            .Append(", CertificatePassword = ").Append(CertificatePassword is null ? "(none)" : "***")
            .Append(", PrivateKeyPath = ").Append(PrivateKeyPath)
            .Append(", ValidateCertificates = ").Append(ValidateCertificates);
        return true;
    }
}

using System.Net;
using System.Net.Sockets;

namespace ActorTasks.Remote.Transport;

/// <summary>Turns <c>actortasks.remote.hostname</c> into the address to bind, and says what binding it exposes.</summary>
internal static class BindAddress
{
    /// <summary>True for 0.0.0.0, :: and *, which bind every interface.</summary>
    public static bool IsWildcard(string hostname) => hostname.Trim() is "0.0.0.0" or "::" or "[::]" or "*";

    /// <summary>The address to bind: a literal IP as given, <c>localhost</c> as 127.0.0.1, anything else through DNS (IPv4 first).</summary>
    public static async Task<IPAddress> ResolveAsync(string hostname, CancellationToken cancellationToken)
    {
        var host = hostname.Trim();
        if (host == "*") return IPAddress.Any;
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (IPAddress.TryParse(host, out var literal)) return literal;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new ArgumentException($"actortasks.remote.hostname: cannot resolve '{hostname}': {e.Message}", nameof(hostname), e);
        }
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new ArgumentException($"actortasks.remote.hostname: '{hostname}' resolves to no address", nameof(hostname));
    }

    /// <summary>The warnings a node logs at start-up for the interface it bound, given its settings.</summary>
    public static IEnumerable<string> StartupWarnings(TransportSettings settings, IPAddress bound)
    {
        if (!IPAddress.IsLoopback(bound) && !settings.HasSecret)
            yield return $"Listening on {bound}, which is not loopback, without actortasks.remote.secret: any host that can reach this port can join and send messages. Set a secret (or ACTORTASKS__remote__secret).";
        if (settings.Tls.Enabled && !settings.HasSecret && !settings.Tls.ValidateCertificates)
            yield return "TLS is enabled without actortasks.remote.secret and without actortasks.remote.tls.validate-certificates: traffic is encrypted but peers are not authenticated.";
    }
}

using System.Globalization;
using Akka.Actor;

namespace ActorTasks.Node.Hosting;

/// <summary>A seed as the user names it, <c>host:port</c> (<c>--join</c>, <c>--seed</c>): the Akka address follows once the node knows whether it speaks TLS.</summary>
public sealed record SeedEndpoint(string Host, int Port)
{
    /// <summary>The seed's Akka address: <c>akka.tcp://tasks@host:port</c>, or <c>akka.ssl.tcp://…</c> with TLS.</summary>
    public Address ToAddress(bool tls) => new(tls ? "akka.ssl.tcp" : "akka.tcp", NodeHost.SystemName, Host, Port);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}");

    /// <summary>Parses <c>host:port</c>; the message of the <see cref="ArgumentException"/> names <paramref name="option"/>.</summary>
    public static SeedEndpoint Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new ArgumentException($"{option}: expected HOST:PORT such as 127.0.0.1:4053, not '{text}'");
        var host = text[..colon].Trim('[', ']');
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is '/' or '@'))
            throw new ArgumentException($"{option}: expected HOST:PORT such as 127.0.0.1:4053, not '{text}'");
        return new SeedEndpoint(host, port);
    }
}

namespace ActorTasks.Actor;

/// <summary>Where an actor system lives: <c>actortasks://system@host:port</c>, or just the system for a local one.</summary>
public sealed record Address(string Protocol, string System, string? Host = null, int? Port = null)
{
    public const string DefaultProtocol = "actortasks";

    public bool HasLocalScope => Host is null;

    public static Address Local(string system) => new(DefaultProtocol, system);

    public override string ToString() =>
        Host is null ? $"{Protocol}://{System}" : $"{Protocol}://{System}@{Host}:{Port}";

    /// <summary>Parses <c>actortasks://sys</c> or <c>actortasks://sys@host:port</c>.</summary>
    public static Address Parse(string text)
    {
        if (!TryParse(text, out var address, out var error))
            throw new FormatException($"invalid actor system address '{text}': {error}");
        return address;
    }

    public static bool TryParse(string text, out Address address, out string error)
    {
        address = null!;
        var sep = text.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0) { error = "expected 'protocol://system[@host:port]'"; return false; }
        var protocol = text[..sep];
        var rest = text[(sep + 3)..];
        var slash = rest.IndexOf('/');
        if (slash >= 0) rest = rest[..slash];
        var at = rest.IndexOf('@');
        if (at < 0)
        {
            if (!ActorPath.IsValidName(rest)) { error = $"invalid system name '{rest}'"; return false; }
            address = new Address(protocol, rest);
            error = "";
            return true;
        }
        var system = rest[..at];
        var hostPort = rest[(at + 1)..];
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], out var port) || port is < 0 or > 65535)
        { error = "expected host:port after '@'"; return false; }
        if (!ActorPath.IsValidName(system)) { error = $"invalid system name '{system}'"; return false; }
        address = new Address(protocol, system, hostPort[..colon].Trim('[', ']'), port);
        error = "";
        return true;
    }
}

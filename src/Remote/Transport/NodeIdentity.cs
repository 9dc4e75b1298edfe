namespace ActorTasks.Remote.Transport;

/// <summary>A node's advertised address (system name, host, port) and its incarnation uid, which changes on every start.</summary>
public readonly record struct NodeIdentity(string SystemName, string Host, int Port, long Uid)
{
    /// <summary>The address as <c>actortasks://system@host:port</c>, followed by <c>#uid</c>.</summary>
    public override string ToString() => $"actortasks://{SystemName}@{FormatHost(Host)}:{Port}#{Uid}";

    internal PeerAddress Address => new(Host, Port);

    /// <summary>
    /// A total order that both ends of a connection compute alike from the identities exchanged in the handshake;
    /// when two nodes dial each other at once, the connection dialed by the lower node is the one both keep.
    /// </summary>
    internal static int CompareForTieBreak(NodeIdentity a, NodeIdentity b)
    {
        var byHost = string.Compare(a.Host, b.Host, StringComparison.OrdinalIgnoreCase);
        if (byHost != 0) return byHost;
        var byPort = a.Port.CompareTo(b.Port);
        return byPort != 0 ? byPort : a.Uid.CompareTo(b.Uid);
    }

    internal static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
}

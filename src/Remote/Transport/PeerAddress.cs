namespace ActorTasks.Remote.Transport;

/// <summary>The host and port a node is reached at; the key of its association. Host names compare case-insensitively.</summary>
internal readonly record struct PeerAddress(string Host, int Port)
{
    public bool Equals(PeerAddress other) =>
        Port == other.Port && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => HashCode.Combine(string.GetHashCode(Host, StringComparison.OrdinalIgnoreCase), Port);

    public override string ToString() => $"{NodeIdentity.FormatHost(Host)}:{Port}";
}

namespace ActorTasks.Actor;

/// <summary>Where an actor is deployed: in this system (the default) or, with remoting, on the node at <see cref="RemoteAddress"/>.</summary>
public sealed record Deploy
{
    private Deploy(Address? remoteAddress) => RemoteAddress = remoteAddress;

    /// <summary>Deploy in the system that creates the actor.</summary>
    public static Deploy Local { get; } = new((Address?)null);

    /// <summary>The node the actor runs on, or null for the local system.</summary>
    public Address? RemoteAddress { get; }

    /// <summary>Deploy on the node at <paramref name="address"/>; its parent stays here and supervises it across the wire.</summary>
    public static Deploy Remote(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Host is null || address.Port is null)
            throw new ArgumentException($"cannot deploy to {address}: a remote address needs a host and a port, e.g. actortasks://sys@127.0.0.1:4053", nameof(address));
        return new Deploy(address);
    }

    /// <summary>Deploy on the node at <paramref name="address"/>, e.g. <c>actortasks://workers@10.0.0.5:4053</c>.</summary>
    public static Deploy Remote(string address) => Remote(Address.Parse(address));

    public override string ToString() => RemoteAddress is null ? "Deploy(local)" : $"Deploy(remote {RemoteAddress})";
}

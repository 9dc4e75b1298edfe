using ActorTasks.Actor;

namespace ActorTasks.Cluster.Membership;

/// <summary>A node's address together with its incarnation: a node restarted at the same address is a different member.</summary>
public sealed record UniqueAddress(Address Address, long Uid) : IComparable<UniqueAddress>
{
    /// <summary>Orders by host, then port, then uid — the order that picks the leader (the lowest) and breaks ties.</summary>
    public int CompareTo(UniqueAddress? other)
    {
        if (other is null) return 1;
        var byHost = string.CompareOrdinal(Address.Host, other.Address.Host);
        if (byHost != 0) return byHost;
        var byPort = Nullable.Compare(Address.Port, other.Address.Port);
        if (byPort != 0) return byPort;
        var bySystem = string.CompareOrdinal(Address.System, other.Address.System);
        return bySystem != 0 ? bySystem : Uid.CompareTo(other.Uid);
    }

    public override string ToString() => $"{Address}#{Uid}";
}

using System.Collections.Immutable;
using System.Text.Json.Serialization;
using ActorTasks.Actor;
using ActorTasks.Cluster.Membership;
using ActorTasks.Remote.Serialization;

namespace ActorTasks.Cluster.Protocol;

// Messages between the cluster actors of different nodes, in wire form: addresses travel as text and are parsed
// (and checked) by the receiver, so a malformed one is dropped, never trusted.

/// <summary>A node with its incarnation, on the wire.</summary>
public sealed record NodeData(string Address, long Uid);

/// <summary>A member on the wire.</summary>
public sealed record MemberData(NodeData Node, int Status, string[] Roles, int UpNumber);

/// <summary>One observer's reachability row on the wire.</summary>
public sealed record RowData(NodeData Observer, long Version, NodeData[] Unreachable);

/// <summary>A removed member and when it was removed, on the wire.</summary>
public sealed record TombstoneData(NodeData Node, DateTimeOffset RemovedAt);

/// <summary>The whole gossip on the wire.</summary>
public sealed record GossipData(MemberData[] Members, RowData[] Reachability, Dictionary<string, long> Version, NodeData[] Seen, TombstoneData[] Tombstones);

/// <summary>A joining node asks a seed whether it is part of a cluster.</summary>
public sealed record InitJoin(NodeData From);

/// <summary>Yes: join through me.</summary>
public sealed record InitJoinAck(NodeData From);

/// <summary>Not a member (yet): ask another seed.</summary>
public sealed record InitJoinNack(NodeData From);

/// <summary>Please add me, with these roles.</summary>
public sealed record JoinRequest(NodeData Node, string[] Roles);

/// <summary>You are in: here is the membership.</summary>
public sealed record Welcome(NodeData From, GossipData Gossip);

/// <summary>My view of the membership, for <paramref name="To"/> (ignored by another incarnation).</summary>
public sealed record GossipEnvelope(NodeData From, NodeData To, GossipData Gossip);

/// <summary>Mark the member at <paramref name="Address"/> Leaving.</summary>
public sealed record LeaveRequest(string Address);

/// <summary>Mark the member at <paramref name="Address"/> Down.</summary>
public sealed record DownRequest(string Address);

/// <summary>Are you alive?</summary>
public sealed record ClusterHeartbeat(NodeData From);

/// <summary>I am.</summary>
public sealed record ClusterHeartbeatResponse(NodeData From);

[JsonSerializable(typeof(InitJoin))]
[JsonSerializable(typeof(InitJoinAck))]
[JsonSerializable(typeof(InitJoinNack))]
[JsonSerializable(typeof(JoinRequest))]
[JsonSerializable(typeof(Welcome))]
[JsonSerializable(typeof(GossipEnvelope))]
[JsonSerializable(typeof(LeaveRequest))]
[JsonSerializable(typeof(DownRequest))]
[JsonSerializable(typeof(ClusterHeartbeat))]
[JsonSerializable(typeof(ClusterHeartbeatResponse))]
internal sealed partial class ClusterJson : JsonSerializerContext;

/// <summary>Registers the cluster's wire messages with a serializer registry, and converts the model to and from wire form.</summary>
public static class ClusterSerialization
{
    /// <summary>Adds every cluster message under its stable <c>actortasks.cluster.*</c> manifest (once; later calls do nothing).</summary>
    public static SerializerRegistry Register(SerializerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (registry.TryGetByType(typeof(InitJoin), out _)) return registry;
        return registry
            .RegisterJson("actortasks.cluster.init-join", ClusterJson.Default.InitJoin)
            .RegisterJson("actortasks.cluster.init-join-ack", ClusterJson.Default.InitJoinAck)
            .RegisterJson("actortasks.cluster.init-join-nack", ClusterJson.Default.InitJoinNack)
            .RegisterJson("actortasks.cluster.join", ClusterJson.Default.JoinRequest)
            .RegisterJson("actortasks.cluster.welcome", ClusterJson.Default.Welcome)
            .RegisterJson("actortasks.cluster.gossip", ClusterJson.Default.GossipEnvelope)
            .RegisterJson("actortasks.cluster.leave", ClusterJson.Default.LeaveRequest)
            .RegisterJson("actortasks.cluster.down", ClusterJson.Default.DownRequest)
            .RegisterJson("actortasks.cluster.heartbeat", ClusterJson.Default.ClusterHeartbeat)
            .RegisterJson("actortasks.cluster.heartbeat-response", ClusterJson.Default.ClusterHeartbeatResponse);
    }

    internal static NodeData ToData(UniqueAddress node) => new(node.Address.ToString(), node.Uid);

    /// <summary>Parses a node from the wire; throws <see cref="FormatException"/> when it is not a node address.</summary>
    internal static UniqueAddress FromData(NodeData data)
    {
        if (data is null) throw new FormatException("a node is missing");
        if (!Address.TryParse(data.Address ?? "", out var address, out var error) || address.Host is null || address.Port is null)
            throw new FormatException($"'{data.Address}' is not a node address{(error is { Length: > 0 } ? $" ({error})" : "")}");
        return new UniqueAddress(address, data.Uid);
    }

    internal static GossipData ToData(Gossip gossip) => new(
        [.. gossip.Members.Values.Select(m => new MemberData(ToData(m.Node), (int)m.Status, [.. m.Roles], m.UpNumber))],
        [.. gossip.Reachability.Rows.Select(r => new RowData(ToData(r.Key), r.Value.Version, [.. r.Value.Unreachable.Select(ToData)]))],
        new Dictionary<string, long>(gossip.Version.Versions),
        [.. gossip.Seen.Select(ToData)],
        [.. gossip.Tombstones.Select(t => new TombstoneData(ToData(t.Key), t.Value))]);

    /// <summary>The gossip in <paramref name="data"/>; throws <see cref="FormatException"/> for anything malformed.</summary>
    internal static Gossip FromData(GossipData data)
    {
        if (data?.Members is null || data.Reachability is null || data.Version is null || data.Seen is null || data.Tombstones is null)
            throw new FormatException("gossip with a missing part");
        var members = ImmutableSortedDictionary.CreateBuilder<UniqueAddress, Member>();
        foreach (var m in data.Members)
        {
            if (m.Status is < 0 or > (int)MemberStatus.Down) throw new FormatException($"unknown member status {m.Status}");
            var node = FromData(m.Node);
            members[node] = new Member(node, (MemberStatus)m.Status, (m.Roles ?? []).ToHashSet(StringComparer.Ordinal), m.UpNumber);
        }
        var rows = data.Reachability.Select(r => KeyValuePair.Create(FromData(r.Observer),
            new Reachability.Row(r.Version, (r.Unreachable ?? []).Select(FromData).ToImmutableHashSet())));
        return new Gossip(
            members.ToImmutable(),
            Reachability.From(rows),
            VectorClock.From(data.Version),
            data.Seen.Select(FromData).ToImmutableHashSet(),
            data.Tombstones.ToImmutableDictionary(t => FromData(t.Node), t => t.RemovedAt));
    }
}

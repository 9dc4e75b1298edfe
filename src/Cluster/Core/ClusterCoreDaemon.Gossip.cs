using ActorTasks.Actor;
using ActorTasks.Cluster.Membership;
using ActorTasks.Cluster.Protocol;

namespace ActorTasks.Cluster.Core;

// Gossip: every interval this node sends its view to one other member — preferring one that has not seen this
// version — and merges what it receives. Versions are vector clocks: an older view is answered with ours, a newer
// one replaces ours, concurrent ones are merged (each member at its later stage of life).
internal sealed partial class ClusterCoreDaemon
{
    private void GossipToSomeone()
    {
        if (!_isMember) return;
        if (_gossip.PruneTombstones(DateTimeOffset.UtcNow) is var pruned && !ReferenceEquals(pruned, _gossip)) _gossip = pruned;
        var unreachable = _gossip.Unreachable;
        var candidates = _gossip.Members.Values
            // Exiting members are told directly by the leader and then stop: gossip to them would only meet a closed port.
            .Where(m => !m.Node.Equals(_self) && !unreachable.Contains(m.Node) && m.Status is not (MemberStatus.Down or MemberStatus.Exiting))
            .Select(m => m.Node)
            .ToList();
        if (candidates.Count == 0) return;
        var unseen = candidates.Where(n => !_gossip.Seen.Contains(n)).ToList();
        // Mostly to those that have not seen this version yet, sometimes to anyone (so an older view gets answered).
        var pool = unseen.Count > 0 && Random.Shared.NextDouble() < 0.8 ? unseen : candidates;
        SendGossip(pool[Random.Shared.Next(pool.Count)]);
    }

    private void SendGossip(UniqueAddress to) =>
        CoreAt(to.Address).Tell(new GossipEnvelope(ClusterSerialization.ToData(_self), ClusterSerialization.ToData(to), ClusterSerialization.ToData(_gossip)), Self);

    private void OnGossip(GossipEnvelope envelope)
    {
        if (!_isMember) return;
        if (!TryRead(() => (ClusterSerialization.FromData(envelope.From), ClusterSerialization.FromData(envelope.To), ClusterSerialization.FromData(envelope.Gossip)),
                out var read, _log, "gossip")) return;
        var (from, to, remote) = read;
        if (!to.Equals(_self)) return; // meant for another incarnation of this address
        if (_gossip.Tombstones.ContainsKey(from))
        {
            SendGossip(from); // a removed member still gossiping: our view (with its tombstone) tells it so
            return;
        }
        if (remote.Member(from) is null) return;
        if (remote.Member(_self) is null && _gossip.Member(_self) is { Status: not MemberStatus.Joining })
        {
            // Their view lacks this node: either it was removed (then the tombstone says so) or theirs is stale.
            if (!remote.Tombstones.ContainsKey(_self)) SendGossip(from);
            else Install(_gossip.Merge(remote));
            return;
        }
        switch (remote.Version.CompareTo(_gossip.Version))
        {
            case VectorClockOrder.Same:
                var seen = _gossip with { Seen = _gossip.Seen.Union(remote.Seen).Add(_self) };
                _gossip = seen;
                break;
            case VectorClockOrder.Before:
                _gossip = _gossip.SeenBy(_self);
                SendGossip(from); // they are behind: tell them what we know
                break;
            case VectorClockOrder.After:
                Install(remote.SeenBy(_self));
                break;
            default:
                Install(_gossip.Merge(remote).SeenBy(_self));
                break;
        }
    }

    /// <summary>A user (or another node) asks to move the member at <paramref name="addressText"/> to Leaving or Down.</summary>
    private void ChangeStatus(string addressText, MemberStatus status)
    {
        if (!Address.TryParse(addressText, out var address, out _))
        {
            _log.Warning("dropped a request to make '{Address}' {Status}: not an address", addressText, status);
            return;
        }
        var member = _gossip.MemberAt(address);
        if (member is null)
        {
            _log.Information("no member at {Address} to make {Status}", address, status);
            return;
        }
        if (status == MemberStatus.Leaving && member.Status is not (MemberStatus.Joining or MemberStatus.Up)) return;
        if (status == MemberStatus.Down && member.Status is MemberStatus.Down) return;
        _log.Information("{Address} is now {Status}", address, status);
        Install(_gossip.Update(_self, member.With(status)));
        GossipToSomeone();
        // A downed member gets no more gossip from anyone: tell it directly, so it can stop.
        if (status == MemberStatus.Down && !member.Node.Equals(_self)) SendGossip(member.Node);
    }

    private void OnReachabilityObserved(ReachabilityObserved m)
    {
        if (!_isMember || _gossip.Member(m.Node) is not { } member) return;
        var reachability = m.Reachable ? _gossip.Reachability.Reachable(_self, m.Node) : _gossip.Reachability.Unreachable(_self, m.Node);
        if (ReferenceEquals(reachability, _gossip.Reachability)) return;
        if (!m.Reachable) _log.Warning("{Node} is unreachable from this node (its heartbeats stopped)", member.Node.Address);
        else _log.Information("{Node} is reachable again", member.Node.Address);
        Install((_gossip with { Reachability = reachability }).Changed(_self));
    }
}

using ActorTasks.Actor;
using ActorTasks.Cluster.Membership;
using ActorTasks.Cluster.Protocol;

namespace ActorTasks.Cluster.Core;

// Joining: ask the seeds who is in a cluster (InitJoin), join through the first that says yes (JoinRequest →
// Welcome). The first seed forms the cluster with itself when no other seed answers within seed-node-timeout.
internal sealed partial class ClusterCoreDaemon
{
    private IReadOnlyList<Address> _seeds = [];
    private bool _joining;
    private Address? _joiningThrough;

    private void StartJoin(IReadOnlyList<Address> seeds, bool firstSeedMayFormCluster)
    {
        if (_isMember) return;
        _seeds = seeds;
        _joining = true;
        _joiningThrough = null;
        var others = seeds.Where(s => !s.Equals(_self.Address)).ToList();
        if (firstSeedMayFormCluster && others.Count == 0)
        {
            FormCluster();
            return;
        }
        AskSeeds();
        Timers.StartPeriodicTimer("join-retry", JoinRetryTick.Instance, _settings.RetryJoinInterval);
        if (firstSeedMayFormCluster) Timers.StartSingleTimer("seed-timeout", SeedTimeout.Instance, _settings.SeedNodeTimeout);
    }

    private void AskSeeds()
    {
        foreach (var seed in _seeds.Where(s => !s.Equals(_self.Address)))
            CoreAt(seed).Tell(new InitJoin(ClusterSerialization.ToData(_self)), Self);
    }

    private void OnJoinRetry()
    {
        if (_isMember || !_joining)
        {
            Timers.Cancel("join-retry");
            return;
        }
        if (_joiningThrough is { } through) CoreAt(through).Tell(new JoinRequest(ClusterSerialization.ToData(_self), [.. _settings.Roles]), Self);
        else AskSeeds();
    }

    private void OnSeedTimeout()
    {
        if (_isMember || _joiningThrough is not null) return;
        _log.Information("no other seed answered within {Timeout}: forming a new cluster at {Node}", _settings.SeedNodeTimeout, _self.Address);
        FormCluster();
    }

    private void FormCluster()
    {
        _joining = false;
        _isMember = true;
        Timers.Cancel("join-retry");
        Install(Gossip.Empty.Update(_self, new Member(_self, MemberStatus.Joining, _settings.Roles, 0)));
    }

    private void OnInitJoin(InitJoin m)
    {
        var answer = ClusterSerialization.ToData(_self);
        // Only a node that is in a cluster can take joiners; the others say so, and the joiner asks elsewhere.
        if (_isMember && _gossip.Member(_self)?.Status is MemberStatus.Up or MemberStatus.Joining) Sender.Tell(new InitJoinAck(answer), Self);
        else Sender.Tell(new InitJoinNack(answer), Self);
    }

    private void OnInitJoinAck(InitJoinAck m)
    {
        if (_isMember || _joiningThrough is not null) return;
        if (!TryRead(() => ClusterSerialization.FromData(m.From), out var through, _log, "init-join answer")) return;
        _joiningThrough = through.Address;
        Timers.Cancel("seed-timeout");
        CoreAt(through.Address).Tell(new JoinRequest(ClusterSerialization.ToData(_self), [.. _settings.Roles]), Self);
    }

    private void OnJoinRequest(JoinRequest m)
    {
        if (!_isMember) return;
        if (!TryRead(() => ClusterSerialization.FromData(m.Node), out var joiner, _log, "join request")) return;
        var existing = _gossip.MemberAt(joiner.Address);
        if (existing is not null && existing.Node.Uid != joiner.Uid)
        {
            // The same address with a new incarnation: the old one is gone. Down it; the joiner asks again and gets in
            // once the leader has removed the old incarnation.
            if (existing.Status != MemberStatus.Down)
            {
                _log.Information("{Node} restarted (new incarnation {Uid}); downing its old incarnation", joiner.Address, joiner.Uid);
                Install(_gossip.Update(_self, existing.With(MemberStatus.Down)).SeenBy(_self));
            }
            return;
        }
        if (_gossip.Tombstones.ContainsKey(joiner)) return; // an incarnation that was removed cannot come back
        if (existing is null)
        {
            _log.Information("{Node} is joining with roles [{Roles}]", joiner.Address, string.Join(", ", m.Roles ?? []));
            Install(_gossip.Update(_self, new Member(joiner, MemberStatus.Joining, (m.Roles ?? []).ToHashSet(StringComparer.Ordinal), 0)));
        }
        Sender.Tell(new Welcome(ClusterSerialization.ToData(_self), ClusterSerialization.ToData(_gossip)), Self);
    }

    private void OnWelcome(Welcome m)
    {
        if (_isMember) return;
        if (!TryRead(() => ClusterSerialization.FromData(m.Gossip), out var gossip, _log, "welcome")) return;
        if (gossip.Member(_self) is null) return; // a welcome for an earlier incarnation
        _isMember = true;
        _joining = false;
        Timers.Cancel("join-retry");
        _log.Information("joined the cluster through {Node}", _joiningThrough);
        Install(gossip.SeenBy(_self));
    }
}

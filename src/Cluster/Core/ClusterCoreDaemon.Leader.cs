using ActorTasks.Cluster.Downing;
using ActorTasks.Cluster.Membership;

namespace ActorTasks.Cluster.Core;

// Leader actions: on every tick the leader (lowest reachable Up member) moves members on, once every member has
// seen the current gossip; and the split-brain resolver downs one side of a partition after stable-after.
internal sealed partial class ClusterCoreDaemon
{
    private IReadOnlySet<UniqueAddress> _lastUnreachable = new HashSet<UniqueAddress>();
    private DateTime _unreachableSince = DateTime.UtcNow;

    private void OnLeaderActionsTick()
    {
        if (!_isMember || _shuttingDown) return;
        if (_gossip.Leader?.Equals(_self) != true) return;
        ResolveSplitBrain();
        if (_gossip.HasConvergence()) MoveMembersOn();
    }

    private void MoveMembersOn()
    {
        var members = _gossip.Members.Values.ToList();
        var gossip = _gossip;
        var changed = new List<Member>();
        var candidates = members.Where(m => m.Status is MemberStatus.Joining or MemberStatus.Up).ToList();
        var enough = candidates.Count >= _settings.MinNrOfMembers
            && _settings.MinNrOfMembersPerRole.All(r => candidates.Count(m => m.HasRole(r.Key)) >= r.Value);
        var upNumber = members.Count == 0 ? 0 : members.Max(m => m.UpNumber);
        foreach (var member in members)
        {
            Member? next = member.Status switch
            {
                MemberStatus.Joining when enough => member with { Status = MemberStatus.Up, UpNumber = ++upNumber },
                MemberStatus.Leaving => member.With(MemberStatus.Exiting),
                _ => null,
            };
            if (next is null) continue;
            gossip = gossip.Update(_self, next);
            changed.Add(next);
        }
        // Exiting and Down members go (Exiting ones that were told in an earlier round), with a tombstone each.
        var leaving = members.Where(m => m.Status is MemberStatus.Exiting or MemberStatus.Down).Select(m => m.Node).ToList();
        if (leaving.Count > 0)
        {
            gossip = gossip.Remove(_self, leaving, DateTimeOffset.UtcNow);
            _log.Information("removed {Members} from the cluster", string.Join(", ", leaving.Select(n => n.Address)));
        }
        if (changed.Count == 0 && leaving.Count == 0) return;
        Install(gossip.SeenBy(_self));
        // Tell exiting members directly: they may be about to stop, and gossip to them is not guaranteed.
        foreach (var member in changed.Where(m => m.Status == MemberStatus.Exiting && !m.Node.Equals(_self)))
            SendGossip(member.Node);
    }

    private void ResolveSplitBrain()
    {
        var unreachable = _gossip.Unreachable.Where(n => _gossip.Member(n)?.Status is not (MemberStatus.Down or MemberStatus.Exiting)).ToHashSet();
        if (!unreachable.SetEquals(_lastUnreachable))
        {
            _lastUnreachable = unreachable;
            _unreachableSince = DateTime.UtcNow;
            return;
        }
        if (unreachable.Count == 0 || DateTime.UtcNow - _unreachableSince < _settings.StableAfter) return;
        var decision = SplitBrainResolver.Decide(_settings, _gossip.Members.Values, unreachable);
        if (decision == DowningDecision.None) return;
        var victims = decision == DowningDecision.DownUnreachable
            ? unreachable.ToList()
            : _gossip.Members.Keys.Where(n => !unreachable.Contains(n)).ToList();
        _log.Warning("split-brain resolver ({Strategy}): {Decision} after {Stable} of the same unreachable members: downing {Victims}",
            _settings.DowningStrategy, decision, _settings.StableAfter, string.Join(", ", victims.Select(v => v.Address)));
        var gossip = _gossip;
        foreach (var victim in victims)
        {
            if (gossip.Member(victim) is { } member && member.Status != MemberStatus.Down) gossip = gossip.Update(_self, member.With(MemberStatus.Down));
        }
        _lastUnreachable = new HashSet<UniqueAddress>();
        Install(gossip.SeenBy(_self));
        // Tell the downed members directly (on the other side of a partition this is lost, and they decide for themselves).
        foreach (var node in victims.Where(v => !v.Equals(_self))) SendGossip(node);
    }
}

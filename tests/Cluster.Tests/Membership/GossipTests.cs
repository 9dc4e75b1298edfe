using ActorTasks.Actor;
using ActorTasks.Cluster.Membership;
using ActorTasks.Cluster.Protocol;
using Xunit;

namespace ActorTasks.Cluster.Tests.Membership;

public sealed class GossipTests
{
    private static UniqueAddress N(int port, long uid = 1) => new(new Address("actortasks", "tasks", "127.0.0.1", port), uid);

    private static Member M(int port, MemberStatus status, int upNumber = 0) => new(N(port), status, new HashSet<string>(), upNumber);

    [Fact]
    public void Merging_keeps_each_member_at_its_later_stage_and_merges_versions()
    {
        var a = Gossip.Empty.Update(N(1), M(1, MemberStatus.Up, 1)).Update(N(1), M(2, MemberStatus.Up, 2));
        var b = a.Update(N(2), M(2, MemberStatus.Leaving, 2));
        var c = a.Update(N(1), M(3, MemberStatus.Joining));
        Assert.Equal(VectorClockOrder.Concurrent, b.Version.CompareTo(c.Version));
        var merged = b.Merge(c);
        Assert.Equal(MemberStatus.Leaving, merged.Member(N(2))!.Status);
        Assert.Equal(MemberStatus.Joining, merged.Member(N(3))!.Status);
        Assert.Equal(VectorClockOrder.After, merged.Version.CompareTo(b.Version));
        Assert.Equal(VectorClockOrder.After, merged.Version.CompareTo(c.Version));
    }

    [Fact]
    public void A_removed_member_is_not_brought_back_by_old_gossip()
    {
        var old = Gossip.Empty.Update(N(1), M(1, MemberStatus.Up, 1)).Update(N(1), M(2, MemberStatus.Exiting, 2));
        var removed = old.Remove(N(1), [N(2)], DateTimeOffset.UtcNow);
        Assert.Null(removed.Merge(old).Member(N(2)));
        Assert.Null(old.Merge(removed).Member(N(2)));
    }

    [Fact]
    public void Convergence_needs_every_reachable_member_to_have_seen_the_version()
    {
        var g = Gossip.Empty.Update(N(1), M(1, MemberStatus.Up, 1)).Update(N(1), M(2, MemberStatus.Up, 2));
        Assert.False(g.HasConvergence());
        Assert.True(g.SeenBy(N(2)).HasConvergence());
        var unreachable = g.SeenBy(N(2)) with { Reachability = g.Reachability.Unreachable(N(1), N(2)) };
        Assert.False(unreachable.HasConvergence()); // an unreachable member that is not down blocks the leader
        Assert.True(unreachable.Update(N(1), M(2, MemberStatus.Down, 2)).HasConvergence());
    }

    [Fact]
    public void The_leader_is_the_lowest_reachable_up_member()
    {
        var g = Gossip.Empty.Update(N(1), M(3, MemberStatus.Up, 1)).Update(N(1), M(2, MemberStatus.Up, 2)).Update(N(1), M(1, MemberStatus.Joining));
        Assert.Equal(N(2), g.Leader);
        Assert.Equal(N(3), (g with { Reachability = g.Reachability.Unreachable(N(3), N(2)) }).Leader);
    }

    [Fact]
    public void A_newer_reachability_row_wins_so_a_recovered_member_stays_reachable()
    {
        var down = Reachability.Empty.Unreachable(N(1), N(2));
        var recovered = down.Reachable(N(1), N(2));
        Assert.True(down.Merge(recovered).IsReachable(N(2)));
        Assert.True(recovered.Merge(down).IsReachable(N(2)));
    }

    [Fact]
    public void Gossip_survives_its_wire_form_and_malformed_wire_gossip_is_refused()
    {
        var g = Gossip.Empty.Update(N(1), M(1, MemberStatus.Up, 1)).Update(N(1), M(2, MemberStatus.Joining)).SeenBy(N(2));
        g = g with { Reachability = g.Reachability.Unreachable(N(1), N(2)) };
        var back = ClusterSerialization.FromData(ClusterSerialization.ToData(g));
        Assert.Equal(g.Members.Values, back.Members.Values, (x, y) => x.Node == y.Node && x.Status == y.Status && x.UpNumber == y.UpNumber);
        Assert.Equal(VectorClockOrder.Same, back.Version.CompareTo(g.Version));
        Assert.False(back.Reachability.IsReachable(N(2)));
        var bad = ClusterSerialization.ToData(g) with { Members = [new MemberData(new NodeData("not an address", 1), 1, [], 0)] };
        Assert.Throws<FormatException>(() => ClusterSerialization.FromData(bad));
        var badStatus = ClusterSerialization.ToData(g) with { Members = [new MemberData(ClusterSerialization.ToData(N(1)), 42, [], 0)] };
        Assert.Throws<FormatException>(() => ClusterSerialization.FromData(badStatus));
    }
}

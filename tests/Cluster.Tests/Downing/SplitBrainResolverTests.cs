using ActorTasks.Actor;
using ActorTasks.Cluster.Downing;
using ActorTasks.Cluster.Membership;
using Xunit;

namespace ActorTasks.Cluster.Tests.Downing;

public sealed class SplitBrainResolverTests
{
    private static Member M(int port, int upNumber = 1, params string[] roles) =>
        new(new UniqueAddress(new Address("actortasks", "tasks", "127.0.0.1", port), port), MemberStatus.Up, roles.ToHashSet(), upNumber);

    private static DowningDecision Decide(ClusterSettings settings, Member[] members, params Member[] unreachable) =>
        SplitBrainResolver.Decide(settings, members, unreachable.Select(m => m.Node).ToHashSet());

    private static readonly ClusterSettings KeepMajority = ClusterSettings.Default;

    [Fact]
    public void Nothing_is_downed_while_every_member_is_reachable() =>
        Assert.Equal(DowningDecision.None, Decide(KeepMajority, [M(1), M(2)]));

    [Fact]
    public void Keep_majority_keeps_the_larger_side_from_either_view()
    {
        Member[] all = [M(1), M(2), M(3), M(4), M(5)];
        Assert.Equal(DowningDecision.DownUnreachable, Decide(KeepMajority, all, all[3], all[4]));
        Assert.Equal(DowningDecision.DownReachable, Decide(KeepMajority, all, all[0], all[1], all[2]));
    }

    [Fact]
    public void Keep_majority_breaks_a_tie_by_the_lowest_address_and_both_sides_agree()
    {
        Member[] all = [M(1), M(2), M(3), M(4)];
        Assert.Equal(DowningDecision.DownUnreachable, Decide(KeepMajority, all, all[2], all[3])); // the side with port 1
        Assert.Equal(DowningDecision.DownReachable, Decide(KeepMajority, all, all[0], all[1]));
    }

    [Fact]
    public void Static_quorum_keeps_a_side_only_if_it_has_the_quorum()
    {
        var settings = ClusterSettings.Default with { DowningStrategy = DowningStrategy.StaticQuorum, QuorumSize = 3 };
        Member[] all = [M(1), M(2), M(3), M(4), M(5)];
        Assert.Equal(DowningDecision.DownUnreachable, Decide(settings, all, all[3], all[4]));
        Assert.Equal(DowningDecision.DownReachable, Decide(settings, all, all[0], all[1], all[2]));
    }

    [Fact]
    public void Keep_oldest_keeps_the_side_of_the_oldest_unless_it_is_alone()
    {
        var settings = ClusterSettings.Default with { DowningStrategy = DowningStrategy.KeepOldest };
        Member[] all = [M(5, upNumber: 1), M(2, upNumber: 2), M(3, upNumber: 3)];
        Assert.Equal(DowningDecision.DownUnreachable, Decide(settings, all, all[2]));          // oldest here with company
        Assert.Equal(DowningDecision.DownReachable, Decide(settings, all, all[0], all[1]));    // oldest away with company
        Assert.Equal(DowningDecision.DownReachable, Decide(settings, all, all[1], all[2]));    // oldest here, alone: it goes
        Assert.Equal(DowningDecision.DownUnreachable, Decide(settings, all, all[0]));          // oldest away, alone: we stay
        var keepAlone = settings with { DownIfAlone = false };
        Assert.Equal(DowningDecision.DownUnreachable, Decide(keepAlone, all, all[1], all[2]));
    }

    [Fact]
    public void A_role_restricts_who_counts()
    {
        var settings = ClusterSettings.Default with { DowningStrategy = DowningStrategy.StaticQuorum, QuorumSize = 1, DowningRole = "seed" };
        Member[] all = [M(1, 1, "seed"), M(2), M(3), M(4)];
        Assert.Equal(DowningDecision.DownUnreachable, Decide(settings, all, all[1], all[2], all[3]));
        Assert.Equal(DowningDecision.DownReachable, Decide(settings, all, all[0]));
    }
}

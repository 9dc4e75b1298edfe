using ActorTasks.Cluster.Membership;
using Xunit;

namespace ActorTasks.Cluster.Tests.Core;

/// <summary>A network partition, made with the transport's blackhole hook; each side's resolver decides.</summary>
public sealed class SplitBrainTests : IAsyncLifetime
{
    private readonly ClusterNodes _nodes = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _nodes.DisposeAsync().AsTask();

    [Fact]
    public async Task With_keep_majority_three_down_the_two_and_the_two_down_themselves()
    {
        var nodes = await _nodes.StartClusterAsync(5);
        var majority = nodes.Take(3).ToList();
        var minority = nodes.Skip(3).ToList();
        ClusterNodes.Partition(majority, minority);

        foreach (var node in minority) await Cluster.Get(node).WhenDowned.WaitAsync(ClusterNodes.Timeout);
        await ClusterNodes.AllSeeAsync(majority, s => s.Members.Count == 3 && s.Members.All(m => m.Status == MemberStatus.Up) && s.Unreachable.Count == 0);
        Assert.All(majority, n => Assert.False(Cluster.Get(n).IsDowned));
    }

    [Fact]
    public async Task With_static_quorum_a_side_below_the_quorum_downs_itself()
    {
        var config = ClusterNodes.FastConfig("static-quorum", "cluster.split-brain-resolver.static-quorum.quorum-size = 3");
        var nodes = await _nodes.StartClusterAsync(4, config);
        var big = nodes.Take(3).ToList();
        var small = nodes.Skip(3).ToList();
        ClusterNodes.Partition(big, small);

        await Cluster.Get(small[0]).WhenDowned.WaitAsync(ClusterNodes.Timeout);
        await ClusterNodes.AllSeeAsync(big, s => s.Members.Count == 3);
    }
}

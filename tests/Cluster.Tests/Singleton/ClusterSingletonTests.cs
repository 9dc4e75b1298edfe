using ActorTasks.Actor;
using ActorTasks.Cluster.Singleton;
using ActorTasks.Testing;
using Xunit;

namespace ActorTasks.Cluster.Tests.Singleton;

/// <summary>One instance on the oldest member, handed over when it leaves; the proxy finds it and buffers meanwhile.</summary>
public sealed class ClusterSingletonTests : TestKit
{
    private readonly ClusterNodes _nodes = new();

    public override async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        await base.DisposeAsync();
    }

    private sealed class WhereAmI : ReceiveActor
    {
        public WhereAmI() => Receive<string>(_ => Sender.Tell(Context.System.Address.Port!.Value));
    }

    [Fact]
    public async Task The_singleton_runs_on_the_oldest_member_and_moves_when_it_leaves()
    {
        var nodes = await _nodes.StartClusterAsync(3);
        foreach (var node in nodes) node.ActorOf(ClusterSingletonManager.Props(Props.Create<WhereAmI>()), "where-manager");
        var proxy = nodes[2].ActorOf(ClusterSingletonProxy.Props("/user/where-manager"), "where");
        var oldest = nodes.OrderBy(n => Cluster.Get(n).SelfMember!.UpNumber).First();
        var probe = CreateTestProbe(nodes[2]);

        proxy.Tell("where?", probe.Ref);
        Assert.Equal(oldest.Address.Port, probe.ExpectMsg<int>(ClusterNodes.Timeout));

        // Exactly one instance: only the oldest member's manager has a child.
        foreach (var node in nodes)
        {
            var found = await node.ActorSelection("/user/where-manager/singleton").ResolveOne(TimeSpan.FromSeconds(5)).ContinueWith(t => t.IsCompletedSuccessfully);
            Assert.Equal(node == oldest, found);
        }

        var survivors = nodes.Where(n => n != oldest).ToList();
        var nextOldest = survivors.OrderBy(n => Cluster.Get(n).SelfMember!.UpNumber).First();
        await Cluster.Get(oldest).LeaveAsync(ClusterNodes.Timeout);
        proxy.Tell("where now?", probe.Ref); // buffered while the singleton moves, then delivered
        Assert.Equal(nextOldest.Address.Port, probe.ExpectMsg<int>(ClusterNodes.Timeout));
    }
}

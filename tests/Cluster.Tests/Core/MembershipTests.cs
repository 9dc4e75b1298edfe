using ActorTasks.Actor;
using ActorTasks.Cluster.Events;
using ActorTasks.Cluster.Membership;
using ActorTasks.Remote.Provider;
using ActorTasks.Testing;
using Xunit;

namespace ActorTasks.Cluster.Tests.Core;

/// <summary>Nodes join, leave, are downed and die; everyone agrees on who is in.</summary>
public sealed class MembershipTests : TestKit
{
    private readonly ClusterNodes _nodes = new();

    public override async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Three_nodes_join_and_each_sees_all_Up_with_the_lowest_address_as_leader()
    {
        var nodes = await _nodes.StartClusterAsync(3);
        var lowest = nodes.Select(n => Cluster.Get(n).SelfUniqueAddress).Min()!.Address;
        await ClusterNodes.AllSeeAsync(nodes, s => Equals(s.Leader, lowest));
        foreach (var node in nodes) Assert.Equal(MemberStatus.Up, Cluster.Get(node).SelfMember!.Status);
        Assert.True(Cluster.Get(nodes[2]).WhenUp.IsCompleted);
    }

    [Fact]
    public async Task A_subscriber_gets_the_current_state_first_then_member_events()
    {
        var nodes = await _nodes.StartClusterAsync(2);
        var probe = CreateTestProbe(nodes[0]);
        Cluster.Get(nodes[0]).Subscribe(probe.Ref, typeof(MemberEvent));
        var state = probe.ExpectMsg<CurrentClusterState>(ClusterNodes.Timeout);
        Assert.Equal(2, state.Members.Count);

        var third = await _nodes.StartAsync("tasks");
        Cluster.Get(third).Join(nodes[0].Address);
        Assert.Equal(third.Address, probe.ExpectMsg<MemberJoined>(ClusterNodes.Timeout).Member.Node.Address);
        Assert.Equal(third.Address, probe.ExpectMsg<MemberUp>(ClusterNodes.Timeout).Member.Node.Address);
    }

    [Fact]
    public async Task A_leaving_node_goes_through_Exiting_and_is_removed_everywhere()
    {
        var nodes = await _nodes.StartClusterAsync(3);
        var probe = CreateTestProbe(nodes[0]);
        Cluster.Get(nodes[0]).Subscribe(probe.Ref, typeof(MemberRemoved));
        probe.ExpectMsg<CurrentClusterState>(ClusterNodes.Timeout);

        Assert.True(await Cluster.Get(nodes[2]).LeaveAsync(ClusterNodes.Timeout));
        var removed = probe.ExpectMsg<MemberRemoved>(ClusterNodes.Timeout);
        Assert.Equal((nodes[2].Address, MemberStatus.Exiting), (removed.Member.Node.Address, removed.PreviousStatus));
        await ClusterNodes.AllSeeAsync(nodes.Take(2), s => s.Members.Count == 2);
    }

    [Fact]
    public async Task After_a_graceful_leave_the_survivor_does_not_try_to_reach_the_stopped_node()
    {
        // A slow leader (as by default) leaves the member Exiting for a while after its port has closed.
        var config = ClusterNodes.FastConfig() + "\nactortasks.cluster.leader-actions-interval = 1s";
        var warnings = new WarningSink();
        var survivor = await _nodes.StartAsync("tasks", config, logger: new Serilog.LoggerConfiguration().MinimumLevel.Warning().WriteTo.Sink(warnings).CreateLogger());
        Cluster.Get(survivor).Join(survivor.Address);
        var leaver = await _nodes.StartAsync("tasks", config);
        Cluster.Get(leaver).Join(survivor.Address);
        await ClusterNodes.AllSeeAsync([survivor, leaver], s => s.Members.Count == 2 && s.Members.All(m => m.Status == MemberStatus.Up));
        var probe = CreateTestProbe(survivor);
        Cluster.Get(survivor).Subscribe(probe.Ref, typeof(MemberRemoved));
        probe.ExpectMsg<CurrentClusterState>(ClusterNodes.Timeout);

        // As `actortasks worker` does on SIGTERM: leave, then stop the system (its port closes).
        Assert.True(await Cluster.Get(leaver).LeaveAsync(ClusterNodes.Timeout));
        await leaver.Terminate().WaitAsync(ClusterNodes.Timeout);
        probe.ExpectMsg<MemberRemoved>(ClusterNodes.Timeout);

        // Gossip rounds every 100 ms, heartbeats every 200 ms: several of each pass in this window.
        probe.ExpectNoMsg(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(warnings.Messages, m => m.Contains("could not associate", StringComparison.Ordinal));
    }

    private sealed class WarningSink : Serilog.Core.ILogEventSink
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

        public IEnumerable<string> Messages => _messages;

        public void Emit(Serilog.Events.LogEvent logEvent) => _messages.Enqueue(logEvent.RenderMessage());
    }

    [Fact]
    public async Task A_downed_node_learns_it_and_shuts_its_system_down()
    {
        var nodes = await _nodes.StartClusterAsync(3);
        Cluster.Get(nodes[0]).Down(nodes[2].Address);
        await Cluster.Get(nodes[2]).WhenDowned.WaitAsync(ClusterNodes.Timeout);
        await nodes[2].WhenTerminated.WaitAsync(ClusterNodes.Timeout);
        await ClusterNodes.AllSeeAsync(nodes.Take(2), s => s.Members.Count == 2);
    }

    [Fact]
    public async Task A_node_that_stops_answering_is_marked_unreachable_then_downed_and_removed_by_the_majority()
    {
        var nodes = await _nodes.StartClusterAsync(3);
        var probe = CreateTestProbe(nodes[0]);
        Cluster.Get(nodes[0]).Subscribe(probe.Ref, typeof(UnreachableMember), typeof(MemberRemoved));
        probe.ExpectMsg<CurrentClusterState>(ClusterNodes.Timeout);

        // Its process "dies": its transport is gone, nothing is sent or answered, nobody was told.
        await RemoteActorRefProvider.For(nodes[2])!.DisposeAsync();

        Assert.Equal(nodes[2].Address, probe.ExpectMsg<UnreachableMember>(ClusterNodes.Timeout).Member.Node.Address);
        var removed = probe.ExpectMsg<MemberRemoved>(ClusterNodes.Timeout);
        Assert.Equal((nodes[2].Address, MemberStatus.Down), (removed.Member.Node.Address, removed.PreviousStatus));
        await ClusterNodes.AllSeeAsync(nodes.Take(2), s => s.Members.Count == 2 && s.Unreachable.Count == 0);
    }

    [Fact]
    public async Task A_node_restarted_at_the_same_address_with_a_new_incarnation_joins_again()
    {
        var nodes = await _nodes.StartClusterAsync(3);
        var port = nodes[2].Address.Port!.Value;
        var oldUid = Cluster.Get(nodes[2]).SelfUniqueAddress.Uid;
        await RemoteActorRefProvider.For(nodes[2])!.DisposeAsync();
        await nodes[2].Terminate();

        var restarted = await _nodes.StartAsync("tasks", port: port);
        Cluster.Get(restarted).Join(nodes[0].Address);
        var newUid = Cluster.Get(restarted).SelfUniqueAddress.Uid;
        Assert.NotEqual(oldUid, newUid);
        await ClusterNodes.AllSeeAsync([nodes[0], nodes[1], restarted],
            s => s.Members.Count == 3 && s.Members.All(m => m.Status == MemberStatus.Up) && s.Members.Any(m => m.Node.Uid == newUid));
    }

    [Fact]
    public async Task Twenty_nodes_converge_on_the_same_membership()
    {
        // Twenty systems on two shared cores: allow more time than for three.
        var nodes = await _nodes.StartClusterAsync(20, timeout: TimeSpan.FromSeconds(60));
        var leaders = nodes.Select(n => Cluster.Get(n).State.Leader).Distinct().ToList();
        Assert.Single(leaders);
    }
}

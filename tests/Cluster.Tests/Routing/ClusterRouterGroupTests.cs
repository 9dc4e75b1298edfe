using ActorTasks.Actor;
using ActorTasks.Cluster.Routing;
using ActorTasks.Routing;
using ActorTasks.Testing;
using Xunit;

namespace ActorTasks.Cluster.Tests.Routing;

/// <summary>A cluster group router whose routees follow the members with a role.</summary>
public sealed class ClusterRouterGroupTests : TestKit
{
    private readonly ClusterNodes _nodes = new();

    public override async Task DisposeAsync()
    {
        await _nodes.DisposeAsync();
        await base.DisposeAsync();
    }

    private sealed class Worker : ReceiveActor
    {
        public Worker() => Receive<string>(_ => Sender.Tell(Context.System.Address.Port!.Value));
    }

    private static string WithRole(string role) => ClusterNodes.FastConfig(extra: $"cluster.roles = [{role}]");

    [Fact]
    public async Task Routees_are_the_paths_on_up_members_with_the_role_and_follow_a_leave()
    {
        var front = await _nodes.StartAsync("tasks", WithRole("front"));
        Cluster.Get(front).Join(front.Address);
        var workers = new List<ActorSystem>();
        for (var i = 0; i < 2; i++)
        {
            var node = await _nodes.StartAsync("tasks", WithRole("worker"));
            node.ActorOf(Props.Create<Worker>(), "worker");
            Cluster.Get(node).Join(front.Address);
            workers.Add(node);
        }
        front.ActorOf(Props.Create<Worker>(), "worker"); // on a member without the role: never a routee
        await ClusterNodes.AllSeeAsync([front, .. workers], s => s.UpMembers.Count() == 3);

        var router = front.ActorOf(new ClusterRouterGroup(new RoundRobinGroup("/user/worker"), "worker").Props(), "workers");
        var probe = CreateTestProbe(front);
        await AwaitAssertAsync(async () => Assert.Equal(2, (await router.Ask<Routees>(GetRoutees.Instance, TimeSpan.FromSeconds(5))).Members.Count),
            ClusterNodes.Timeout);

        for (var i = 0; i < 4; i++) router.Tell("which port?", probe.Ref);
        var ports = Enumerable.Range(0, 4).Select(_ => probe.ExpectMsg<int>(ClusterNodes.Timeout)).ToHashSet();
        Assert.Equal(workers.Select(w => w.Address.Port!.Value).ToHashSet(), ports);

        await Cluster.Get(workers[1]).LeaveAsync(ClusterNodes.Timeout);
        await AwaitAssertAsync(async () => Assert.Single((await router.Ask<Routees>(GetRoutees.Instance, TimeSpan.FromSeconds(5))).Members),
            ClusterNodes.Timeout);
        router.Tell("which port?", probe.Ref);
        Assert.Equal(workers[0].Address.Port, probe.ExpectMsg<int>(ClusterNodes.Timeout));
    }
}

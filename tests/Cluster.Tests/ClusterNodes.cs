using ActorTasks.Actor;
using ActorTasks.Cluster.Events;
using ActorTasks.Cluster.Membership;
using ActorTasks.Hocon;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Serialization;
using Xunit;

namespace ActorTasks.Cluster.Tests;

/// <summary>Several cluster nodes in this process, each an actor system with remoting on its own loopback port, with fast test timings.</summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly List<ActorSystem> _systems = [];

    /// <summary>Gossip and heartbeats every 100–200 ms, unreachable after about a second, downing after a stable second.</summary>
    public static string FastConfig(string strategy = "keep-majority", string extra = "") => $$"""
        actortasks {
          actor.provider = cluster
          log.level = warning
          cluster {
            gossip-interval = 100ms
            leader-actions-interval = 100ms
            retry-join-interval = 200ms
            seed-node-timeout = 1s
            failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 600ms, first-heartbeat-estimate = 200ms }
            split-brain-resolver { active-strategy = {{strategy}}, stable-after = 1s }
          }
          {{extra}}
        }
        """;

    public IReadOnlyList<ActorSystem> Systems => _systems;

    /// <summary>
    /// Starts one node (not joined yet); <paramref name="registry"/> adds messages or deployable actors to the defaults,
    /// <paramref name="logger"/> replaces the default logger.
    /// </summary>
    public async Task<ActorSystem> StartAsync(string name, string? config = null, int port = 0, SerializerRegistry? registry = null,
        Serilog.ILogger? logger = null)
    {
        var text = (config ?? FastConfig()) + $"\nactortasks.remote.port = {port}";
        var system = await ClusterActorSystem.CreateAsync(name, ConfigFactory.ParseString(text), registry, logger: logger);
        _systems.Add(system);
        return system;
    }

    /// <summary>Starts <paramref name="count"/> nodes; the first forms the cluster, the others join it; returns once all see all Up.</summary>
    public async Task<IReadOnlyList<ActorSystem>> StartClusterAsync(int count, string? config = null, TimeSpan? timeout = null)
    {
        var first = await StartAsync("tasks", config);
        Cluster.Get(first).Join(first.Address);
        var nodes = new List<ActorSystem> { first };
        for (var i = 1; i < count; i++)
        {
            var node = await StartAsync("tasks", config);
            Cluster.Get(node).Join(first.Address);
            nodes.Add(node);
        }
        await AllSeeAsync(nodes, s => s.Members.Count == count && s.Members.All(m => m.Status == MemberStatus.Up), timeout);
        return nodes;
    }

    /// <summary>Waits until every node's view satisfies <paramref name="condition"/>.</summary>
    public static async Task AllSeeAsync(IEnumerable<ActorSystem> nodes, Func<CurrentClusterState, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        var list = nodes.ToList();
        while (!list.All(n => condition(Cluster.Get(n).State)))
        {
            if (DateTime.UtcNow > deadline)
            {
                var views = string.Join("\n", list.Select(n => $"  {n.Address}: {string.Join(", ", Cluster.Get(n).State.Members)} unreachable [{string.Join(", ", Cluster.Get(n).State.Unreachable.Select(m => m.Node.Address))}]"));
                Assert.Fail($"the nodes did not agree within {(timeout ?? Timeout).TotalSeconds} s; their views:\n{views}");
            }
            // Polling the published snapshot: the cluster has no single event that says "all nodes agree".
            await Task.Delay(50);
        }
    }

    /// <summary>Cuts every pair of nodes between the two sides, in both directions.</summary>
    public static void Partition(IEnumerable<ActorSystem> sideA, IEnumerable<ActorSystem> sideB)
    {
        var b = sideB.ToList();
        foreach (var x in sideA)
        {
            foreach (var y in b)
            {
                RemoteActorRefProvider.For(x)!.Blackhole(y.Address);
                RemoteActorRefProvider.For(y)!.Blackhole(x.Address);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_systems.Select(s => s.Terminate())).WaitAsync(TimeSpan.FromSeconds(30));
    }
}

using System.Diagnostics;
using ActorTasks.Node.Hosting;
using ActorTasks.Tasks.Configuration;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using static Akka.Cluster.ClusterEvent;

namespace ActorTasks.Bench;

/// <summary>
/// Cluster members in this process with a node's default cluster settings (hocon/actortasks.conf: failure detector,
/// split-brain resolver, gossip intervals); only the port is chosen freely, and nothing is logged below errors.
/// </summary>
internal static class ClusterBenchSupport
{
    /// <summary>A member named as every node's actor system is, so it can join their cluster; <paramref name="roles"/> as akka.cluster.roles.</summary>
    public static ActorSystem StartNode(params string[] roles) =>
        Start($$"""
            akka.actor.provider = cluster
            akka.cluster.roles = [{{string.Join(", ", roles)}}]
            """);

    /// <summary>
    /// No member, as a client node is: it reaches a seed's actors over Akka.Remote. Started before the seed it will talk
    /// to, it has never spoken to an earlier incarnation of that seed, so nothing of a dead one stands in its way.
    /// </summary>
    public static ActorSystem StartClient() => Start("akka.actor.provider = remote");

    private static ActorSystem Start(string top)
    {
        var config = ConfigurationFactory.ParseString(top + """

            akka.remote.dot-netty.tcp.port = 0
            akka.loglevel = ERROR
            akka.stdout-loglevel = ERROR
            """).WithFallback(TaskSystemConfig.Reference);
        return ActorSystem.Create(NodeHost.SystemName, config);
    }

    /// <summary>This member's address, e.g. <c>akka.tcp://tasks@127.0.0.1:40123</c>.</summary>
    public static Address AddressOf(ActorSystem node) => Cluster.Get(node).SelfAddress;

    /// <summary>Waits until <paramref name="condition"/> holds for every node's published view; returns the time it took.</summary>
    public static async Task<TimeSpan> UntilAllSeeAsync(IReadOnlyList<ActorSystem> nodes, Func<CurrentClusterState, bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (!nodes.All(n => condition(Cluster.Get(n).State)))
        {
            if (sw.Elapsed > timeout) throw new TimeoutException($"the nodes did not agree within {timeout.TotalSeconds} s");
            await Task.Delay(10); // a poll of published snapshots: a few ms of resolution is plenty for figures in seconds
        }
        return sw.Elapsed;
    }

    public static bool AllUp(CurrentClusterState state, int count) =>
        state.Members.Count == count && state.Members.All(m => m.Status == MemberStatus.Up);

    public static async Task StopAllAsync(IEnumerable<ActorSystem> nodes) =>
        await Task.WhenAll(nodes.Select(n => n.Terminate())).WaitAsync(TimeSpan.FromSeconds(30));
}

/// <summary>Completes tasks when the first event of each kind about a given node arrives.</summary>
internal sealed class EventClock : ReceiveActor
{
    public EventClock(Address node, TaskCompletionSource<TimeSpan> unreachable, TaskCompletionSource<TimeSpan> removed, Stopwatch since)
    {
        Receive<CurrentClusterState>(_ => { });
        Receive<UnreachableMember>(e => { if (e.Member.Address.Equals(node)) unreachable.TrySetResult(since.Elapsed); });
        Receive<MemberRemoved>(e => { if (e.Member.Address.Equals(node)) removed.TrySetResult(since.Elapsed); });
    }
}

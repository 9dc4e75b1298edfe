using System.Diagnostics;
using ActorTasks.Actor;
using ActorTasks.Cluster;
using ActorTasks.Cluster.Events;
using ActorTasks.Cluster.Membership;
using ActorTasks.Hocon;

namespace ActorTasks.Bench;

/// <summary>Cluster nodes in this process with the default cluster settings (only the port is chosen freely).</summary>
internal static class ClusterBenchSupport
{
    public static Task<ActorSystem> StartNodeAsync() =>
        ClusterActorSystem.CreateAsync("tasks", ConfigFactory.ParseString("actortasks { actor.provider = cluster, remote.port = 0, log.level = error }"));

    /// <summary>Waits until <paramref name="condition"/> holds for every node's published view; returns the time it took.</summary>
    public static async Task<TimeSpan> UntilAllSeeAsync(IReadOnlyList<ActorSystem> nodes, Func<CurrentClusterState, bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (!nodes.All(n => condition(Cluster.Cluster.Get(n).State)))
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
        Receive<UnreachableMember>(e => { if (e.Member.Node.Address.Equals(node)) unreachable.TrySetResult(since.Elapsed); });
        Receive<MemberRemoved>(e => { if (e.Member.Node.Address.Equals(node)) removed.TrySetResult(since.Elapsed); });
    }
}

using Akka.Actor;
using Akka.Cluster;

namespace ActorTasks.Bench;

/// <summary>
/// Time until 10 nodes are all Up (a node's default settings, in one process over loopback TCP). Baseline in the same
/// run: the same 10 nodes reaching the first one's cluster daemon with an Identify round trip (the transport alone, no
/// membership).
/// </summary>
public sealed class ClusterJoinBench : IBenchmark
{
    private const int Nodes = 10;

    public string Name => "cluster-join";

    public string Description => "seconds until 10 nodes are all Up vs the same nodes' first round trip to the seed";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var values = new List<double>();
        var baselines = new List<double>();
        var settings = "";
        for (var run = 0; run < options.Runs; run++)
        {
            var nodes = new List<ActorSystem>();
            try
            {
                for (var i = 0; i < Nodes; i++) nodes.Add(ClusterBenchSupport.StartNode());
                var seed = ClusterBenchSupport.AddressOf(nodes[0]);
                var cluster = Cluster.Get(nodes[0]).Settings;
                settings = $"hocon/actortasks.conf: gossip-interval {cluster.GossipInterval.TotalMilliseconds} ms, leader-actions-interval {cluster.LeaderActionsInterval.TotalMilliseconds} ms";
                var sw = System.Diagnostics.Stopwatch.StartNew();
                await Task.WhenAll(nodes.Skip(1).Select(n =>
                    n.ActorSelection($"{seed}/system/cluster/core/daemon").ResolveOne(TimeSpan.FromSeconds(10))));
                var roundTrip = sw.Elapsed.TotalSeconds;

                // The seed forms the cluster; the others join it as a worker does (seed-nodes = [the seed]).
                Cluster.Get(nodes[0]).Join(seed);
                foreach (var node in nodes.Skip(1)) Cluster.Get(node).JoinSeedNodes([seed]);
                var join = await ClusterBenchSupport.UntilAllSeeAsync(nodes, s => ClusterBenchSupport.AllUp(s, Nodes), TimeSpan.FromMinutes(2));
                values.Add(join.TotalSeconds);
                baselines.Add(roundTrip);
                Console.WriteLine($"run {run + 1}: all {Nodes} Up after {join.TotalSeconds:0.000} s; first round trip to the seed from all: {roundTrip:0.000} s");
            }
            finally
            {
                await ClusterBenchSupport.StopAllAsync(nodes);
            }
        }
        return new BenchResult(Name, Measure.Median(values), "s", Measure.Median(baselines), HigherIsBetter: false,
            Extra: new Dictionary<string, object>
            {
                ["nodes"] = Nodes,
                ["settings"] = settings,
                ["load_average"] = LoadAverage.Read(),
            });
    }
}

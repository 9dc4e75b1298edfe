using ActorTasks.Actor;
using ActorTasks.Cluster.Membership;

namespace ActorTasks.Bench;

/// <summary>
/// Time until 10 nodes are all Up (default settings, in one process over loopback TCP). Baseline in the same run:
/// the same 10 nodes reaching the first one with an Identify round trip (the transport alone, no membership).
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
        for (var run = 0; run < options.Runs; run++)
        {
            var nodes = new List<ActorSystem>();
            try
            {
                for (var i = 0; i < Nodes; i++) nodes.Add(await ClusterBenchSupport.StartNodeAsync());
                var seed = nodes[0];
                var sw = System.Diagnostics.Stopwatch.StartNew();
                await Task.WhenAll(nodes.Skip(1).Select(n =>
                    n.ActorSelection($"{seed.Address}/system/cluster-core").ResolveOne(TimeSpan.FromSeconds(10))));
                var roundTrip = sw.Elapsed.TotalSeconds;

                foreach (var node in nodes) Cluster.Cluster.Get(node).Join(seed.Address);
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
            Extra: new Dictionary<string, object> { ["nodes"] = Nodes, ["settings"] = "defaults (gossip 500 ms, leader actions 500 ms)", ["load_average"] = LoadAverage.Read() });
    }
}

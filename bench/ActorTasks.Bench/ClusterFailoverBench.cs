using System.Diagnostics;
using ActorTasks.Actor;
using ActorTasks.Remote.Provider;

namespace ActorTasks.Bench;

/// <summary>
/// From the "kill" of a member (its transport vanishes without a word, as after kill -9) to UnreachableMember and to
/// MemberRemoved on a survivor, with the default settings, 3 nodes in one process. Baseline in the same run: a
/// graceful leave of another member until it is removed.
/// </summary>
public sealed class ClusterFailoverBench : IBenchmark
{
    public string Name => "cluster-failover";

    public string Description => "kill of a member -> Unreachable and Removed on the survivors (defaults) vs a graceful leave";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var unreachable = new List<double>();
        var removed = new List<double>();
        var leaves = new List<double>();
        for (var run = 0; run < options.Runs; run++)
        {
            var nodes = new List<ActorSystem>();
            try
            {
                for (var i = 0; i < 4; i++) nodes.Add(await ClusterBenchSupport.StartNodeAsync());
                foreach (var node in nodes) Cluster.Cluster.Get(node).Join(nodes[0].Address);
                await ClusterBenchSupport.UntilAllSeeAsync(nodes, s => ClusterBenchSupport.AllUp(s, 4), TimeSpan.FromMinutes(1));

                // A graceful leave first (the baseline), then a kill among the three that remain.
                var leaver = nodes[3];
                var sw = Stopwatch.StartNew();
                await Cluster.Cluster.Get(leaver).LeaveAsync(TimeSpan.FromSeconds(30));
                await ClusterBenchSupport.UntilAllSeeAsync(nodes.Take(3).ToList(), s => s.Members.Count == 3, TimeSpan.FromSeconds(30));
                var leave = sw.Elapsed.TotalSeconds;

                var victim = nodes[2];
                var gotUnreachable = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
                var gotRemoved = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
                var since = new Stopwatch();
                var clock = nodes[0].ActorOf(Props.CreateBy(() => new EventClock(victim.Address, gotUnreachable, gotRemoved, since)));
                Cluster.Cluster.Get(nodes[0]).Subscribe(clock, typeof(Cluster.Events.UnreachableMember), typeof(Cluster.Events.MemberRemoved));
                since.Start();
                await RemoteActorRefProvider.For(victim)!.DisposeAsync();
                var u = (await gotUnreachable.Task.WaitAsync(TimeSpan.FromMinutes(1))).TotalSeconds;
                var r = (await gotRemoved.Task.WaitAsync(TimeSpan.FromMinutes(1))).TotalSeconds;
                unreachable.Add(u);
                removed.Add(r);
                leaves.Add(leave);
                Console.WriteLine($"run {run + 1}: unreachable after {u:0.000} s, removed after {r:0.000} s; a graceful leave took {leave:0.000} s");
            }
            finally
            {
                await ClusterBenchSupport.StopAllAsync(nodes);
            }
        }
        var medianUnreachable = Measure.Median(unreachable);
        return new BenchResult(Name, medianUnreachable, "s to unreachable", Measure.Median(leaves), HigherIsBetter: false,
            Extra: new Dictionary<string, object>
            {
                ["removed_s"] = Math.Round(Measure.Median(removed), 3),
                ["target_unreachable_s"] = 3,
                ["meets_target"] = medianUnreachable <= 3,
                ["baseline_kind"] = "graceful leave until removed, same nodes",
                ["kill"] = "the member's transport disposed without a word (in-process stand-in for kill -9)",
                ["load_average"] = LoadAverage.Read(),
            });
    }
}

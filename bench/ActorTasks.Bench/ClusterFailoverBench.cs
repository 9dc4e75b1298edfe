using System.Diagnostics;
using ActorTasks.Actor;
using ActorTasks.Cluster.Events;
using ActorTasks.Hocon;
using ActorTasks.Node.Hosting;

namespace ActorTasks.Bench;

/// <summary>
/// From kill -9 of a worker process to UnreachableMember and to MemberRemoved, seen by a member in this process, with
/// the default settings: a seed and three workers as processes (started as <c>actortasks seed</c> / <c>worker</c>).
/// Baseline in the same run: a graceful leave (SIGTERM) of another worker until it is removed.
/// </summary>
public sealed class ClusterFailoverBench : IBenchmark
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan EventTimeout = TimeSpan.FromMinutes(1);

    public string Name => "cluster-failover";

    public string Description => "kill -9 of a worker process -> Unreachable and Removed on the survivors (defaults) vs a graceful leave";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var unreachable = new List<double>();
        var removed = new List<double>();
        var leaves = new List<double>();
        for (var run = 0; run < options.Runs; run++)
        {
            var logs = Directory.CreateTempSubdirectory("actortasks-failover-logs-").FullName;
            string[] quiet = ["-D", "actortasks.log.level=warning", "-D", "actortasks.log.console=off", "-D", $"actortasks.log.file-directory=\"{logs}\""];
            await using var nodes = await LocalCluster.StartAsync(3, quiet, null, StartTimeout);
            var observer = await StartObserverAsync();
            try
            {
                var cluster = Cluster.Cluster.Get(observer);
                cluster.Join(nodes.Seed.Address);
                await ClusterBenchSupport.UntilAllSeeAsync([observer], s => ClusterBenchSupport.AllUp(s, 5), StartTimeout);

                // A graceful leave first (the baseline), then a kill -9 among the workers that remain.
                var leaver = nodes.Workers[2];
                var leave = await TimeAsync(observer, leaver.Address, () => leaver.Process.StopAsync(TimeSpan.FromSeconds(30)));
                var victim = nodes.Workers[1];
                var kill = await TimeAsync(observer, victim.Address, () =>
                {
                    victim.Process.KillHard();
                    return Task.CompletedTask;
                });
                unreachable.Add(kill.Unreachable!.Value.TotalSeconds);
                removed.Add(kill.Removed.TotalSeconds);
                leaves.Add(leave.Removed.TotalSeconds);
                Console.WriteLine($"run {run + 1}: kill -9 -> unreachable after {unreachable[^1]:0.000} s, removed after {removed[^1]:0.000} s; " +
                    $"a graceful leave was removed after {leaves[^1]:0.000} s{(leave.Unreachable is { } u ? $" (and seen unreachable after {u.TotalSeconds:0.000} s!)" : "")}");
            }
            finally
            {
                await observer.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
                try
                {
                    Directory.Delete(logs, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
        var medianUnreachable = Measure.Median(unreachable);
        Console.WriteLine($"median: unreachable {medianUnreachable:0.000} s (target <= 3 s), removed {Measure.Median(removed):0.000} s; graceful leave {Measure.Median(leaves):0.000} s; load average {LoadAverage.Read()}");
        return new BenchResult(Name, medianUnreachable, "s to unreachable", Measure.Median(leaves), HigherIsBetter: false,
            Extra: new Dictionary<string, object>
            {
                ["removed_s"] = Math.Round(Measure.Median(removed), 3),
                ["runs_unreachable_s"] = unreachable.Select(v => Math.Round(v, 3)).ToArray(),
                ["runs_removed_s"] = removed.Select(v => Math.Round(v, 3)).ToArray(),
                ["target_unreachable_s"] = 3,
                ["meets_target"] = medianUnreachable <= 3,
                ["baseline_kind"] = "graceful leave (SIGTERM) of a worker process until removed",
                ["kill"] = "kill -9 of a worker process (a seed and three workers as processes, the observer a member in this process)",
                ["load_average"] = LoadAverage.Read(),
            });
    }

    private static Task<ActorSystem> StartObserverAsync() =>
        ActorTasks.Cluster.ClusterActorSystem.CreateAsync(NodeHost.SystemName,
            ConfigFactory.ParseString("actortasks { actor.provider = cluster, remote.port = 0, log.level = error, cluster.roles = [observer] }"));

    // Runs the action, then times UnreachableMember (if any) and MemberRemoved about the node, as the observer sees them.
    private static async Task<(TimeSpan? Unreachable, TimeSpan Removed)> TimeAsync(ActorSystem observer, Address node, Func<Task> action)
    {
        var gotUnreachable = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var gotRemoved = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var since = new Stopwatch();
        var clock = observer.ActorOf(Props.CreateBy(() => new EventClock(node, gotUnreachable, gotRemoved, since)));
        Cluster.Cluster.Get(observer).Subscribe(clock, typeof(UnreachableMember), typeof(MemberRemoved));
        since.Start();
        await action();
        var removed = await gotRemoved.Task.WaitAsync(EventTimeout);
        observer.Stop(clock);
        return (gotUnreachable.Task.IsCompleted ? gotUnreachable.Task.Result : null, removed);
    }
}

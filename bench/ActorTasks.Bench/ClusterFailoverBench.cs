using System.Diagnostics;
using System.Globalization;
using ActorTasks.Bench.Tasks;
using ActorTasks.Messages;
using ActorTasks.Node.Hosting;
using Akka.Actor;
using Akka.Cluster;
using static Akka.Cluster.ClusterEvent;

namespace ActorTasks.Bench;

/// <summary>
/// From kill -9 of a worker process in the middle of a job to UnreachableMember and to MemberRemoved, seen by a member
/// in this process, and to the worker's tasks going back to the seed's queue (the producer serves them before any new
/// task, so that is when they run elsewhere), with the default settings: a seed and three workers as processes
/// (started as <c>actortasks seed</c> / <c>worker</c>). The job must still complete with every task counted once.
/// Baseline in the same run: a graceful leave (SIGTERM) of another worker until it is removed.
/// </summary>
public sealed class ClusterFailoverBench : IBenchmark
{
    private const double TargetUnreachable = 3, TargetRemoved = 10;
    private const string Requeued = "they go back to the queue";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan EventTimeout = TimeSpan.FromMinutes(1);

    public string Name => "cluster-failover";

    public string Description =>
        "kill -9 of a worker process mid-job -> Unreachable, Removed, its tasks back in the queue (defaults) vs a graceful leave";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var unreachable = new List<double>();
        var removed = new List<double>();
        var requeued = new List<double>();
        var leaves = new List<double>();
        var rounds = HashRounds.For(TimeSpan.FromMilliseconds(20));
        // About 15 s of work for two workers on two cores: the job outlives the kill by more than the ~10 s until removal.
        var tasks = (int)(TimeSpan.FromSeconds(15) / TimeSpan.FromMilliseconds(20) * 2);
        string[] job = [tasks.ToString(CultureInfo.InvariantCulture), "--rounds", rounds.ToString(CultureInfo.InvariantCulture)];
        Console.WriteLine($"job: hash {string.Join(' ', job)} (about 20 ms per task); load average {LoadAverage.Read()}");
        for (var run = 0; run < options.Runs; run++)
        {
            var since = new Stopwatch();
            var gotRequeued = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            string? victimAddress = null;
            // The seed's producer logs (at info) each consumer of the dead node whose tasks it puts back in the queue.
            void Observe(NodeProcess node, string line)
            {
                if (Volatile.Read(ref victimAddress) is { } victim && node.Name == "seed" && line.Contains(Requeued, StringComparison.Ordinal)
                    && line.Contains(victim, StringComparison.Ordinal))
                    gotRequeued.TrySetResult(since.Elapsed);
            }

            await using var cluster = await TaskCluster.StartAsync(3, Observe, ["-D", "actortasks.log.level=info", "-D", "actortasks.log.console=on"],
                ["-D", "actortasks.log.console=off"]);
            var observer = ClusterBenchSupport.StartNode("observer");
            try
            {
                Cluster.Get(observer).JoinSeedNodes([cluster.Nodes.Seed.Address]);
                await ClusterBenchSupport.UntilAllSeeAsync([observer], s => ClusterBenchSupport.AllUp(s, 5), StartTimeout);

                // A graceful leave first (the baseline), then a kill -9 mid-job among the workers that remain.
                var leaver = cluster.Nodes.Workers[2];
                var leave = await TimeAsync(observer, leaver.Address, since, () => leaver.Process.StopAsync(TimeSpan.FromSeconds(30)));

                var submitted = cluster.Submit("hash", job);
                var jobId = await submitted.Accepted.WaitAsync(TimeSpan.FromSeconds(30));
                // Both workers have pulled and finished tasks of the job before the kill.
                await UntilDoneAsync(cluster.Client.JobManager, jobId, 20);
                var victim = cluster.Nodes.Workers[1];
                Volatile.Write(ref victimAddress, victim.Address.ToString());
                var kill = await TimeAsync(observer, victim.Address, since, () =>
                {
                    victim.Process.KillHard();
                    return Task.CompletedTask;
                });
                var backInQueue = await gotRequeued.Task.WaitAsync(EventTimeout);
                var finished = await submitted.Finished.WaitAsync(TimeSpan.FromMinutes(5));
                var counted = finished.Summary.FirstOrDefault(kv => kv.Key == "tasks").Value;
                if (finished.State != JobState.Completed || finished.Failed > 0 || counted != tasks.ToString(CultureInfo.InvariantCulture))
                    throw new InvalidOperationException($"the job did not complete with each of its {tasks} tasks once: {finished.State}, {finished.Failed} failed, {counted} counted; {finished.Reason}");

                unreachable.Add(kill.Unreachable?.TotalSeconds ?? double.NaN);
                removed.Add(kill.Removed.TotalSeconds);
                requeued.Add(backInQueue.TotalSeconds);
                leaves.Add(leave.Removed.TotalSeconds);
                Console.WriteLine($"run {run + 1}: kill -9 -> unreachable after {unreachable[^1]:0.000} s, removed after {removed[^1]:0.000} s, " +
                    $"its tasks back in the queue after {requeued[^1]:0.000} s; the job completed {finished.Elapsed.TotalSeconds:0.0} s after submit; " +
                    $"a graceful leave was removed after {leaves[^1]:0.000} s{(leave.Unreachable is { } u ? $" (and seen unreachable after {u.TotalSeconds:0.000} s!)" : "")}");
            }
            finally
            {
                await observer.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        var medianUnreachable = Measure.Median(unreachable);
        var medianRemoved = Measure.Median(removed);
        Console.WriteLine($"median: unreachable {medianUnreachable:0.000} s (target <= {TargetUnreachable} s), removed {medianRemoved:0.000} s (target <= {TargetRemoved} s), " +
            $"tasks back in the queue {Measure.Median(requeued):0.000} s; graceful leave {Measure.Median(leaves):0.000} s; load average {LoadAverage.Read()}");
        return new BenchResult(Name, medianUnreachable, "s to unreachable", Measure.Median(leaves), HigherIsBetter: false,
            Extra: new Dictionary<string, object>
            {
                ["removed_s"] = Math.Round(medianRemoved, 3),
                ["requeued_s"] = Math.Round(Measure.Median(requeued), 3),
                ["runs_unreachable_s"] = unreachable.Select(v => Math.Round(v, 3)).ToArray(),
                ["runs_removed_s"] = removed.Select(v => Math.Round(v, 3)).ToArray(),
                ["runs_requeued_s"] = requeued.Select(v => Math.Round(v, 3)).ToArray(),
                ["target_unreachable_s"] = TargetUnreachable,
                ["target_removed_s"] = TargetRemoved,
                ["meets_target"] = medianUnreachable <= TargetUnreachable && medianRemoved <= TargetRemoved,
                ["baseline_kind"] = "graceful leave (SIGTERM) of a worker process until removed",
                ["kill"] = "kill -9 of a worker process during a hash job (a seed and three workers as processes, one left gracefully first; " +
                           "the observer a member in this process; requeued = the seed's producer put the worker's tasks back in the queue)",
                ["job"] = $"hash {string.Join(' ', job)}",
                ["load_average"] = LoadAverage.Read(),
            });
    }

    // Runs the action, then times UnreachableMember (if any) and MemberRemoved about the node, as the observer sees them.
    private static async Task<(TimeSpan? Unreachable, TimeSpan Removed)> TimeAsync(ActorSystem observer, Address node, Stopwatch since, Func<Task> action)
    {
        var gotUnreachable = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var gotRemoved = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = observer.ActorOf(Props.Create(() => new EventClock(node, gotUnreachable, gotRemoved, since)));
        Cluster.Get(observer).Subscribe(clock, typeof(UnreachableMember), typeof(MemberRemoved));
        since.Restart();
        await action();
        var removed = await gotRemoved.Task.WaitAsync(EventTimeout);
        observer.Stop(clock);
        return (gotUnreachable.Task.IsCompleted ? gotUnreachable.Task.Result : null, removed);
    }

    private static async Task UntilDoneAsync(IActorRef jobs, string jobId, long done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await jobs.Ask<JobStatusReport>(new GetJobStatus(jobId), TimeSpan.FromSeconds(10));
            if (status.Done >= done) return;
            if (status.State != JobState.Running) throw new InvalidOperationException($"job {jobId} ended {status.State} before the kill");
            if (clock.Elapsed > StartTimeout) throw new TimeoutException($"job {jobId} did not get {done} tasks done within {StartTimeout.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}

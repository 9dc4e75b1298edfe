using System.Diagnostics;
using System.Threading.Channels;
using ActorTasks.Actor;

namespace ActorTasks.Bench;

/// <summary>
/// N pairs of actors bounce messages, a window of W in flight per pair (W = 10, then W = 1). Baseline: the
/// same pairs as two async loops over Channel&lt;T&gt; with the same window. Values are total messages per second;
/// the JSON value and baseline are those of W = 10, the W = 1 figures are extra fields.
/// </summary>
public sealed class LocalPingPongBench : IBenchmark
{
    private static readonly int[] PairCounts = [1, 2, 4, 8, 16, 32, 64];
    // 10 in flight per pair is the headline (it matches the ~8M msgs/s Channel figure quoted for this machine
    // class); 1 in flight is pure request–reply, the pattern of work pulling.
    private static readonly int[] Windows = [10, 1];

    public string Name => "local-pingpong";

    public string Description => "N actor pairs exchanging messages vs the same pairs over Channel<T> (msgs/s)";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var totalMessages = options.Quick ? 1_000_000 : 4_000_000;
        using var system = new DisposableSystem(ActorSystem.Create("pingpong"));
        // Warm-up: JIT and tiering for both sides.
        await RunActorsAsync(system.System, 4, 200_000, 10);
        await RunChannelsAsync(4, 200_000, 10);

        var results = new Dictionary<int, (double Actors, double Channels)>();
        // Both sides run back to back within a run, so each run's own ratio saw one moment of the shared machine.
        var runRatios = new Dictionary<int, double[]>();
        foreach (var window in Windows)
        {
            var actorRuns = new List<double>();
            var channelRuns = new List<double>();
            for (var run = 0; run < options.Runs; run++)
            {
                double actorMessages = 0, actorSeconds = 0, channelMessages = 0, channelSeconds = 0;
                foreach (var pairs in PairCounts)
                {
                    // One in flight is several times slower for both sides: fewer messages keep the run short.
                    var count = window == 1 ? totalMessages / 4 : totalMessages;
                    var a = await RunActorsAsync(system.System, pairs, count, window);
                    var c = await RunChannelsAsync(pairs, count, window);
                    actorMessages += a.Messages; actorSeconds += a.Seconds;
                    channelMessages += c.Messages; channelSeconds += c.Seconds;
                    Console.WriteLine($"  window {window,2} run {run + 1} pairs={pairs,2}: actors {a.Rate / 1e6,6:0.00} M msgs/s   channels {c.Rate / 1e6,6:0.00} M msgs/s   ratio {a.Rate / c.Rate:0.00}");
                }
                actorRuns.Add(actorMessages / actorSeconds);
                channelRuns.Add(channelMessages / channelSeconds);
                Console.WriteLine($"window {window} run {run + 1}: actors {actorRuns[^1] / 1e6:0.00} M msgs/s, channels {channelRuns[^1] / 1e6:0.00} M msgs/s over the sweep");
            }
            results[window] = (Measure.Median(actorRuns), Measure.Median(channelRuns));
            runRatios[window] = [.. actorRuns.Zip(channelRuns, (a, c) => Math.Round(a / c, 3))];
            Console.WriteLine($"window {window} median: actors {results[window].Actors / 1e6:0.00} M msgs/s, channels {results[window].Channels / 1e6:0.00} M msgs/s, ratio {results[window].Actors / results[window].Channels:0.00} (target >= 2.0)");
        }
        var (value, baseline) = results[10];
        var (v1, b1) = results[1];
        return new BenchResult(Name, value, "msgs/s", baseline,
            Extra: new Dictionary<string, object>
            {
                ["window"] = 10,
                ["runs_ratio"] = runRatios[10],
                ["median_run_ratio"] = Math.Round(Measure.Median(runRatios[10]), 3),
                ["window1_value"] = Math.Round(v1),
                ["window1_baseline"] = Math.Round(b1),
                ["window1_ratio"] = Math.Round(v1 / b1, 3),
                ["pairs"] = string.Join(",", PairCounts),
                ["runs"] = options.Runs,
            });
    }

    private static async Task<RateSample> RunActorsAsync(ActorSystem system, int pairs, int totalMessages, int window)
    {
        var pongers = PingPongPairs.CreatePongers(system, pairs);
        var sample = await PingPongPairs.RunAsync(system, pongers, totalMessages / 2 / pairs, window, Msg.Instance);
        foreach (var ponger in pongers) system.Stop(ponger);
        return sample;
    }

    private static async Task<RateSample> RunChannelsAsync(int pairs, int totalMessages, int window)
    {
        var roundTrips = Math.Max(window, totalMessages / 2 / pairs);
        var options = new UnboundedChannelOptions { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = false };
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new List<Task>();
        for (var i = 0; i < pairs; i++)
        {
            var ping = Channel.CreateUnbounded<object>(options);
            var pong = Channel.CreateUnbounded<object>(options);
            tasks.Add(Task.Run(async () =>
            {
                await start.Task;
                var reader = ping.Reader;
                while (await reader.WaitToReadAsync())
                    while (reader.TryRead(out var m)) pong.Writer.TryWrite(m);
            }));
            tasks.Add(Task.Run(async () =>
            {
                await start.Task;
                var message = new object();
                var sent = 0;
                for (; sent < window; sent++) ping.Writer.TryWrite(message);
                var received = 0;
                var reader = pong.Reader;
                while (received < roundTrips && await reader.WaitToReadAsync())
                {
                    while (reader.TryRead(out var m))
                    {
                        received++;
                        if (sent < roundTrips)
                        {
                            sent++;
                            ping.Writer.TryWrite(m);
                        }
                    }
                }
                ping.Writer.Complete();
            }));
        }
        var sw = Stopwatch.StartNew();
        start.SetResult();
        await Task.WhenAll(tasks);
        sw.Stop();
        return new RateSample(2L * roundTrips * pairs, sw.Elapsed.TotalSeconds);
    }

    private sealed class Msg
    {
        public static readonly Msg Instance = new();
    }
}

/// <summary>Terminates a benchmark's actor system when disposed.</summary>
internal sealed class DisposableSystem(ActorSystem system) : IDisposable
{
    public ActorSystem System { get; } = system;

    public void Dispose() => System.Terminate().WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
}

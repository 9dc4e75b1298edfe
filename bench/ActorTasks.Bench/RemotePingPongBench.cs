using System.Diagnostics;
using ActorTasks.Actor;

namespace ActorTasks.Bench;

/// <summary>
/// N actor pairs with the pongers in a second OS process on loopback, W = 10 messages in flight per pair; total
/// messages per second over the sweep of N. Baselines in the same run: the same pairs inside this process, and raw
/// loopback TCP pumping frames of the envelope's size with the same number in flight (N × W) through an echo server
/// in the second process.
/// </summary>
public sealed class RemotePingPongBench : IBenchmark
{
    private const double Target = 1_000_000;
    private const int Window = 10;
    private static readonly int[] PairCounts = [1, 2, 4, 8];

    public string Name => "remote-pingpong";

    public string Description => "N actor pairs across two OS processes on loopback vs the same pairs in one process and raw TCP (msgs/s)";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var messages = options.Quick ? 200_000 : 1_000_000;
        using var node = await RemoteNode.StartAsync("bench");
        var system = node.System;
        var remotePongers = new IActorRef[PairCounts.Max()];
        for (var i = 0; i < remotePongers.Length; i++) remotePongers[i] = await node.ResolveAsync($"ponger-{i}");
        var localPongers = PingPongPairs.CreatePongers(system, PairCounts.Max());
        object payload = 0;
        var frameSize = node.EnvelopeSize(payload, remotePongers[0], localPongers[0]);
        Console.WriteLine($"peer at {node.Peer.Address}; payload int, envelope {frameSize} bytes + 4-byte length prefix; load average {LoadAverage.Read()}");

        // Warm-up: connection, JIT and tiering on both sides.
        await PingPongPairs.RunAsync(system, remotePongers[..4], 200_000 / 8, Window, payload, TimeSpan.FromMinutes(2));
        await PingPongPairs.RunAsync(system, localPongers[..4], 200_000 / 8, Window, payload);
        RawTcp.Throughput(node.Peer.RawEcho, frameSize, 4 * Window, 100_000);

        var remoteRuns = new List<double>();
        var localRuns = new List<double>();
        var rawRuns = new List<double>();
        var byPairs = PairCounts.ToDictionary(p => p, _ => new List<double>());
        var allocated = new List<double>();
        var cpuMicros = new List<double>();
        for (var run = 0; run < options.Runs; run++)
        {
            RateSample remote = default, local = default, raw = default;
            foreach (var pairs in PairCounts)
            {
                var roundTrips = messages / 2 / pairs;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var r = await PingPongPairs.RunAsync(system, remotePongers[..pairs], roundTrips, Window, payload, TimeSpan.FromMinutes(5));
                // This process sends and receives each message once (as the other does): bytes per message and side.
                allocated.Add((GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)r.Messages);
                // CPU time is steadier than wall time on a shared machine: the same work costs about the same CPU.
                cpuMicros.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / r.Messages);
                var l = await PingPongPairs.RunAsync(system, localPongers[..pairs], roundTrips, Window, payload);
                var t = RawTcp.Throughput(node.Peer.RawEcho, frameSize, pairs * Window, (long)roundTrips * pairs);
                remote = Add(remote, r);
                local = Add(local, l);
                raw = Add(raw, t);
                byPairs[pairs].Add(r.Rate);
                Console.WriteLine($"  run {run + 1} pairs={pairs}: remote {r.Rate / 1e6,5:0.000} M msgs/s   local {l.Rate / 1e6,5:0.00} M msgs/s   raw tcp {t.Rate / 1e6,5:0.00} M msgs/s");
            }
            remoteRuns.Add(remote.Rate);
            localRuns.Add(local.Rate);
            rawRuns.Add(raw.Rate);
            Console.WriteLine($"run {run + 1}: remote {remote.Rate / 1e6:0.000} M msgs/s, local {local.Rate / 1e6:0.00}, raw tcp {raw.Rate / 1e6:0.00} over the sweep");
        }
        var value = Measure.Median(remoteRuns);
        var rawMedian = Measure.Median(rawRuns);
        var localMedian = Measure.Median(localRuns);
        Console.WriteLine($"median: remote {value / 1e6:0.000} M msgs/s (target >= {Target / 1e6:0.0} M), local {localMedian / 1e6:0.00} M, raw tcp {rawMedian / 1e6:0.00} M; "
                          + $"per message in this process {Measure.Median(allocated):0} bytes allocated, {Measure.Median(cpuMicros):0.00} µs CPU; load average {LoadAverage.Read()}");
        return new BenchResult(Name, value, "msgs/s", rawMedian, Extra: new Dictionary<string, object>
        {
            ["baseline_kind"] = "raw loopback tcp, same frame size and number in flight",
            ["local_value"] = Math.Round(localMedian),
            ["ratio_vs_local"] = Math.Round(value / localMedian, 3),
            ["by_pairs"] = byPairs.ToDictionary(p => p.Key.ToString(), p => Math.Round(Measure.Median(p.Value))),
            ["allocated_bytes_per_msg"] = Math.Round(Measure.Median(allocated)),
            ["cpu_us_per_msg"] = Math.Round(Measure.Median(cpuMicros), 2),
            ["window"] = Window,
            ["frame_bytes"] = frameSize + 4,
            ["target"] = Target,
            ["meets_target"] = value >= Target,
            ["runs"] = options.Runs,
            ["load_average"] = LoadAverage.Read(),
        });
    }

    private static RateSample Add(RateSample a, RateSample b) => new(a.Messages + b.Messages, a.Seconds + b.Seconds);
}

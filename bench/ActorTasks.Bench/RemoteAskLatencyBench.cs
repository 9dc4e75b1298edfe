using System.Diagnostics;
using ActorTasks.Actor;

namespace ActorTasks.Bench;

/// <summary>
/// Round-trip time of a remote Ask to an echo actor in a second OS process on loopback, one ask at a time after a
/// warm-up; p50 and p99. Baseline in the same run: a raw TCP request/response of a frame of the envelope's size to
/// an echo server in the second process, with blocking sockets.
/// </summary>
public sealed class RemoteAskLatencyBench : IBenchmark
{
    private const double TargetP50Micros = 100;

    public string Name => "remote-ask-latency";

    public string Description => "p50/p99 of a remote Ask round-trip on loopback vs a raw TCP request/response (µs)";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var count = options.Quick ? 5_000 : 20_000;
        using var node = await RemoteNode.StartAsync("bench");
        var echo = await node.ResolveAsync("echo");
        var probe = node.System.ActorOf(Props.Create(() => new Silent()));
        var frameSize = node.EnvelopeSize(0, echo, probe);
        Console.WriteLine($"peer at {node.Peer.Address}; payload int, envelope ~{frameSize} bytes + 4-byte length prefix; load average {LoadAverage.Read()}");

        await AskAsync(echo, 5_000);
        RawTcp.RoundTrips(node.Peer.RawEcho, frameSize, 5_000);

        var p50s = new List<double>();
        var p99s = new List<double>();
        var rawP50s = new List<double>();
        var rawP99s = new List<double>();
        for (var run = 0; run < options.Runs; run++)
        {
            var asks = (await AskAsync(echo, count)).Order().ToArray();
            var raw = RawTcp.RoundTrips(node.Peer.RawEcho, frameSize, count).Order().ToArray();
            p50s.Add(Measure.Percentile(asks, 50));
            p99s.Add(Measure.Percentile(asks, 99));
            rawP50s.Add(Measure.Percentile(raw, 50));
            rawP99s.Add(Measure.Percentile(raw, 99));
            Console.WriteLine($"run {run + 1}: ask p50 {p50s[^1]:0.0} µs, p99 {p99s[^1]:0.0} µs   raw tcp p50 {rawP50s[^1]:0.0} µs, p99 {rawP99s[^1]:0.0} µs");
        }
        var p50 = Measure.Median(p50s);
        var p99 = Measure.Median(p99s);
        Console.WriteLine($"median: ask p50 {p50:0.0} µs (target <= {TargetP50Micros} µs), p99 {p99:0.0} µs; raw tcp p50 {Measure.Median(rawP50s):0.0} µs; load average {LoadAverage.Read()}");
        return new BenchResult(Name, p50, "µs (p50)", Measure.Median(rawP50s), HigherIsBetter: false, new Dictionary<string, object>
        {
            ["baseline_kind"] = "raw loopback tcp request/response, same frame size, blocking sockets",
            ["p99_us"] = Math.Round(p99, 1),
            ["baseline_p99_us"] = Math.Round(Measure.Median(rawP99s), 1),
            ["asks_per_run"] = count,
            ["frame_bytes"] = frameSize + 4,
            ["target_p50_us"] = TargetP50Micros,
            ["meets_target"] = p50 <= TargetP50Micros,
            ["runs"] = options.Runs,
            ["load_average"] = LoadAverage.Read(),
        });
    }

    private static async Task<double[]> AskAsync(IActorRef echo, int count)
    {
        var micros = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var reply = await echo.Ask<int>(i, TimeSpan.FromSeconds(10));
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (reply != i) throw new InvalidOperationException($"ask {i} came back as {reply}");
        }
        return micros;
    }

    private sealed class Silent : UntypedActor
    {
        protected override void OnReceive(object message) { }
    }
}

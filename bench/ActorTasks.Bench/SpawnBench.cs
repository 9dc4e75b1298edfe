using System.Diagnostics;
using System.Threading.Channels;
using ActorTasks.Actor;

namespace ActorTasks.Bench;

/// <summary>
/// Creates 100,000 child actors and stops them (stopping the parent stops all). Baseline: 100,000
/// "channel actors" (an unbounded Channel and an async loop reading it), started and completed.
/// Value: actors per second; bytes allocated per actor is reported alongside.
/// </summary>
public sealed class SpawnBench : IBenchmark
{
    public string Name => "spawn";

    public string Description => "create and stop 100,000 actors vs 100,000 Channel+Task loops (actors/s, bytes/actor)";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var count = options.Quick ? 20_000 : 100_000;
        using var system = new DisposableSystem(ActorSystem.Create("spawn"));
        await SpawnActorsAsync(system.System, 10_000);
        await SpawnChannelLoopsAsync(10_000);

        var actorRates = new List<double>();
        var actorBytes = new List<double>();
        var baseRates = new List<double>();
        var baseBytes = new List<double>();
        for (var run = 0; run < Math.Max(3, options.Runs); run++)
        {
            var (rate, bytes) = await SpawnActorsAsync(system.System, count);
            var (bRate, bBytes) = await SpawnChannelLoopsAsync(count);
            actorRates.Add(rate); actorBytes.Add(bytes); baseRates.Add(bRate); baseBytes.Add(bBytes);
            Console.WriteLine($"run {run + 1}: actors {rate:N0}/s, {bytes:N0} B/actor   channel loops {bRate:N0}/s, {bBytes:N0} B/loop");
        }
        var value = Measure.Median(actorRates);
        var bytesPerActor = Measure.Median(actorBytes);
        Console.WriteLine($"median: {value:N0} actors/s, {bytesPerActor:N0} bytes allocated per actor (target <= 1024)");
        return new BenchResult(Name, value, "actors/s", Measure.Median(baseRates),
            Extra: new Dictionary<string, object>
            {
                ["actors"] = count,
                ["bytes_per_actor"] = Math.Round(bytesPerActor),
                ["baseline_bytes_per_loop"] = Math.Round(Measure.Median(baseBytes)),
            });
    }

    private static async Task<(double Rate, double BytesPerActor)> SpawnActorsAsync(ActorSystem system, int count)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = system.ActorOf(Props.Create(() => new Spawner(count, created)));
        await created.Task;
        if (!await parent.GracefulStop(TimeSpan.FromMinutes(2)))
            throw new TimeoutException("the spawner did not stop");
        sw.Stop();
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        return (count / sw.Elapsed.TotalSeconds, (double)bytes / count);
    }

    private static async Task<(double Rate, double BytesPerLoop)> SpawnChannelLoopsAsync(int count)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        var loops = new Task[count];
        var writers = new ChannelWriter<object>[count];
        for (var i = 0; i < count; i++)
        {
            var channel = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
            writers[i] = channel.Writer;
            loops[i] = Loop(channel.Reader);
        }
        foreach (var w in writers) w.Complete();
        await Task.WhenAll(loops);
        sw.Stop();
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        return (count / sw.Elapsed.TotalSeconds, (double)bytes / count);

        static async Task Loop(ChannelReader<object> reader)
        {
            await Task.Yield();
            while (await reader.WaitToReadAsync())
                while (reader.TryRead(out _)) { }
        }
    }

    private sealed class Spawner(int count, TaskCompletionSource created) : UntypedActor
    {
        private static readonly Props ChildProps = Props.Create<Idle>();

        protected override void PreStart()
        {
            for (var i = 0; i < count; i++) Context.ActorOf(ChildProps);
            created.SetResult();
        }

        protected override void OnReceive(object message) => Unhandled(message);
    }

    private sealed class Idle : UntypedActor
    {
        protected override void OnReceive(object message) { }
    }
}

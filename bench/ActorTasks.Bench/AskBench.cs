using System.Diagnostics;
using System.Threading.Channels;
using ActorTasks.Actor;

namespace ActorTasks.Bench;

/// <summary>
/// Local ask round-trips per second: K concurrent callers each awaiting asks in sequence on an echo actor.
/// Baseline: the same callers doing request/reply with a TaskCompletionSource through a Channel-served loop.
/// </summary>
public sealed class AskBench : IBenchmark
{
    private const int Callers = 16;

    public string Name => "ask";

    public string Description => "local Ask round-trips/s vs Channel + TaskCompletionSource request/reply";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var perCaller = options.Quick ? 5_000 : 25_000;
        using var system = new DisposableSystem(ActorSystem.Create("ask"));
        var echo = system.System.ActorOf(Props.Create<Echo>(), "echo");
        await AskAsync(echo, 1_000);
        await ChannelAsync(1_000);
        var values = new List<double>();
        var baselines = new List<double>();
        for (var run = 0; run < Math.Max(3, options.Runs); run++)
        {
            var v = await AskAsync(echo, perCaller);
            var b = await ChannelAsync(perCaller);
            values.Add(v);
            baselines.Add(b);
            Console.WriteLine($"run {run + 1}: ask {v:N0}/s   channel request/reply {b:N0}/s");
        }
        return new BenchResult(Name, Measure.Median(values), "asks/s", Measure.Median(baselines),
            Extra: new Dictionary<string, object> { ["callers"] = Callers, ["asks_per_caller"] = perCaller });
    }

    private static async Task<double> AskAsync(IActorRef echo, int perCaller)
    {
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < perCaller; i++) await echo.Ask<object>(i, TimeSpan.FromSeconds(10));
        })));
        return Callers * (double)perCaller / sw.Elapsed.TotalSeconds;
    }

    private static async Task<double> ChannelAsync(int perCaller)
    {
        var requests = Channel.CreateUnbounded<(object, TaskCompletionSource<object>)>(new UnboundedChannelOptions { SingleReader = true });
        var server = Task.Run(async () =>
        {
            while (await requests.Reader.WaitToReadAsync())
                while (requests.Reader.TryRead(out var r)) r.Item2.TrySetResult(r.Item1);
        });
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < perCaller; i++)
            {
                var tcs = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
                requests.Writer.TryWrite((i, tcs));
                await tcs.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
        })));
        var rate = Callers * (double)perCaller / sw.Elapsed.TotalSeconds;
        requests.Writer.Complete();
        await server;
        return rate;
    }

    private sealed class Echo : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message, Self);
    }
}

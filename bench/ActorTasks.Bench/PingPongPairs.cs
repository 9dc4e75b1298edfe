using System.Diagnostics;
using ActorTasks.Actor;

namespace ActorTasks.Bench;

/// <summary>Messages and seconds of one measured run.</summary>
internal readonly record struct RateSample(long Messages, double Seconds)
{
    public double Rate => Messages / Seconds;
}

/// <summary>
/// The actor ping-pong shared by the local and the remote benchmark: one pinger per ponger keeps a window of messages
/// in flight and sends the next one when one comes back. The pongers may live in this system or on another node.
/// </summary>
internal static class PingPongPairs
{
    /// <summary>Pongers that answer every message to its sender, created in <paramref name="system"/>.</summary>
    public static IActorRef[] CreatePongers(ActorSystem system, int count, string? namePrefix = null) =>
        Enumerable.Range(0, count).Select(i => CreatePonger(system, namePrefix is null ? null : $"{namePrefix}{i}")).ToArray();

    /// <summary>One ponger (an echo actor) in <paramref name="system"/>.</summary>
    public static IActorRef CreatePonger(ActorSystem system, string? name) => system.ActorOf(Props.Create(() => new Ponger()), name);

    /// <summary>
    /// Runs one pinger in <paramref name="system"/> per ponger, each doing <paramref name="roundTrips"/> round trips
    /// with <paramref name="window"/> in flight, starting with <paramref name="payload"/>; counts both directions.
    /// </summary>
    public static async Task<RateSample> RunAsync(ActorSystem system, IReadOnlyList<IActorRef> pongers, int roundTrips, int window, object payload,
        TimeSpan? timeout = null)
    {
        roundTrips = Math.Max(window, roundTrips);
        var done = new Task[pongers.Count];
        var pingers = new IActorRef[pongers.Count];
        for (var i = 0; i < pongers.Count; i++)
        {
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done[i] = tcs.Task;
            var ponger = pongers[i];
            pingers[i] = system.ActorOf(Props.Create(() => new Pinger(ponger, roundTrips, window, payload, tcs)));
        }
        var sw = Stopwatch.StartNew();
        foreach (var pinger in pingers) pinger.Tell(Start.Instance, Nobody.Instance);
        var all = Task.WhenAll(done);
        if (timeout is { } limit) await all.WaitAsync(limit);
        else await all;
        sw.Stop();
        foreach (var pinger in pingers) system.Stop(pinger);
        return new RateSample(2L * roundTrips * pongers.Count, sw.Elapsed.TotalSeconds);
    }

    private sealed class Start
    {
        public static readonly Start Instance = new();
    }

    private sealed class Ponger : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message, Self);
    }

    private sealed class Pinger(IActorRef ponger, int roundTrips, int window, object payload, TaskCompletionSource done) : UntypedActor
    {
        private int _sent;
        private int _received;

        protected override void OnReceive(object message)
        {
            if (message is Start)
            {
                for (; _sent < window; _sent++) ponger.Tell(payload, Self);
                return;
            }
            if (++_received == roundTrips)
            {
                done.TrySetResult();
                return;
            }
            if (_sent < roundTrips)
            {
                _sent++;
                ponger.Tell(message, Self);
            }
        }
    }
}

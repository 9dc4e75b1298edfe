using System.Net;
using System.Net.Sockets;
using ActorTasks.Actor;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Serialization;
using ActorTasks.Remote.Transport;

namespace ActorTasks.Bench;

/// <summary>
/// The second OS process of the remote benchmarks (this executable started with <see cref="Argument"/>): a node with
/// remoting and echo actors, and a raw TCP frame echo server for the baselines. It prints one line,
/// <c>READY &lt;address&gt; &lt;raw echo port&gt;</c>, and runs until its standard input ends.
/// </summary>
internal static class RemotePeer
{
    public const string Argument = "--remote-peer";
    public const string SystemName = "bench-peer";
    public const int MaxPongers = 30;

    /// <summary>The registry both nodes use: the built-ins are enough (the payload is an <c>int</c>).</summary>
    public static SerializerRegistry Registry() => SerializerRegistry.CreateDefault();

    public static async Task<int> RunAsync()
    {
        var system = ActorSystem.Create(SystemName);
        await RemoteActorRefProvider.StartAsync(system, TransportSettings.Default, Registry());
        PingPongPairs.CreatePongers(system, MaxPongers, "ponger-");
        PingPongPairs.CreatePonger(system, "echo");
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        raw.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        raw.Listen(16);
        RawTcp.ServeEcho(raw);
        Console.WriteLine($"READY {system.Address} {((IPEndPoint)raw.LocalEndPoint!).Port}");
        // The parent closes our standard input when it is done (or dies): that is the signal to stop.
        await Console.In.ReadToEndAsync();
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        return 0;
    }
}

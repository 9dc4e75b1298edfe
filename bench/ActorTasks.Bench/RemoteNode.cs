using ActorTasks.Actor;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.Serialization;
using ActorTasks.Remote.Transport;

namespace ActorTasks.Bench;

/// <summary>This process's side of the remote benchmarks: a node with remoting, and a peer process to talk to.</summary>
internal sealed class RemoteNode : IDisposable
{
    private RemoteNode(ActorSystem system, RemoteActorRefProvider provider, PeerProcess peer)
    {
        System = system;
        Provider = provider;
        Peer = peer;
    }

    public ActorSystem System { get; }

    public RemoteActorRefProvider Provider { get; }

    public PeerProcess Peer { get; }

    public static async Task<RemoteNode> StartAsync(string name)
    {
        var peer = await PeerProcess.StartAsync();
        var system = ActorSystem.Create(name);
        try
        {
            var provider = await RemoteActorRefProvider.StartAsync(system, TransportSettings.Default, RemotePeer.Registry());
            return new RemoteNode(system, provider, peer);
        }
        catch
        {
            peer.Dispose();
            await system.Terminate();
            throw;
        }
    }

    /// <summary>The peer's actor named <paramref name="name"/>.</summary>
    public Task<IActorRef> ResolveAsync(string name) =>
        System.ActorSelection($"{Peer.Address}/user/{name}").ResolveOne(TimeSpan.FromSeconds(10));

    /// <summary>The size of the envelope (the frame payload) carrying <paramref name="message"/> from <paramref name="sender"/> to <paramref name="recipient"/>.</summary>
    public int EnvelopeSize(object message, IActorRef recipient, IActorRef sender) =>
        new MessageSerializer(RemotePeer.Registry(), Provider, TransportSettings.Default.MaximumFrameSize).Serialize(message, recipient, sender).Length;

    public void Dispose()
    {
        Peer.Dispose();
        System.Terminate().WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ActorTasks.Actor;
using ActorTasks.Dispatch;
using ActorTasks.Event;
using ActorTasks.Remote.Serialization;
using ActorTasks.Remote.Transport;
using Serilog;

namespace ActorTasks.Remote.Provider;

/// <summary>
/// Joins a local actor system to the transport: refs to other nodes become <see cref="RemoteActorRef"/>s, their
/// messages are serialized into frames, and frames from peers are delivered to local actors (with a remote
/// <c>Sender</c> that can be replied to). Delivery is at-most-once and ordered per sender–receiver pair.
/// </summary>
public sealed partial class RemoteActorRefProvider : IExternalActorRefProvider, IFrameHandler, IActorRefResolver, IAsyncDisposable
{
    private readonly TcpTransport _transport;
    private readonly MessageSerializer _serializer;
    private readonly SerializerRegistry _registry;
    private readonly ILogger _log;
    // Reply addresses of asks whose message went to another node, by path; removed when the ask completes.
    private readonly ConcurrentDictionary<string, FutureActorRef> _temps = new(StringComparer.Ordinal);
    // The node each pending cross-node ask was sent to: if dialing that node fails, its request never left
    // this node, so the ask fails at once instead of at its timeout. Removed when the ask completes.
    private readonly ConcurrentDictionary<FutureActorRef, (string Host, int Port)> _askDestinations = new();
    private Address _address;
    // The wire form of local refs, computed once per ref (the path, its address and uid never change).
    private readonly ConditionalWeakTable<IActorRef, string> _localPaths = new();
    private readonly ConditionalWeakTable<IActorRef, string>.CreateValueCallback _localWirePath;
    // Recipients of incoming frames by path: resolved once, not per message; terminated refs are resolved again.
    private readonly RefCache _recipients = new();
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_frame;

    private RemoteActorRefProvider(ActorSystem system, RemoteSettings settings, SerializerRegistry registry)
    {
        System = system;
        Settings = settings;
        _registry = registry;
        _log = system.Log.ForContext("SourceContext", "ActorTasks.Remote");
        _transport = new TcpTransport(settings.Transport, _log);
        _serializer = new MessageSerializer(registry, this, settings.Transport.MaximumFrameSize);
        _context = new SerializationContext(registry, this);
        _address = system.Address;
        Uid = Random.Shared.NextInt64(1, long.MaxValue);
        _localWirePath = LocalWirePath; // one delegate, not one per message
    }

    /// <summary>Starts the transport and attaches the provider to <paramref name="system"/>; the transport stops with the system.</summary>
    public static Task<RemoteActorRefProvider> StartAsync(ActorSystem system, TransportSettings settings, SerializerRegistry registry,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return StartAsync(system, RemoteSettings.Default with { Transport = settings }, registry, cancellationToken);
    }

    /// <summary>Starts the transport, remote death watch and remote deployment, and attaches the provider to <paramref name="system"/>.</summary>
    public static async Task<RemoteActorRefProvider> StartAsync(ActorSystem system, RemoteSettings settings, SerializerRegistry registry,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(registry);
        // Remote watch and deployment need their wire messages, also in a registry not made by CreateDefault.
        if (!registry.TryGetByType(typeof(RemoteWatch), out _)) RemoteSystemJson.Register(registry);
        var provider = new RemoteActorRefProvider(system, settings with { Transport = settings.Transport.Validate() }, registry);
        var identity = await provider._transport.StartAsync(system.Name, provider.Uid, provider, cancellationToken).ConfigureAwait(false);
        provider._address = new Address(Address.DefaultProtocol, system.Name, identity.Host, identity.Port);
        system.AttachExternalProvider(provider);
        provider.StartSystemActors();
        _ = system.WhenTerminated.ContinueWith(_ => provider.DisposeAsync().AsTask(), TaskScheduler.Default);
        provider._log.Information("remoting started at {Address}", provider._address);
        return provider;
    }

    /// <summary>The provider attached to <paramref name="system"/>, or null when remoting was not started there.</summary>
    public static RemoteActorRefProvider? For(ActorSystem system) => system?.ExternalProvider as RemoteActorRefProvider;

    public ActorSystem System { get; }

    /// <summary>The settings remoting was started with.</summary>
    public RemoteSettings Settings { get; }

    /// <summary>This node's incarnation: a new random number on every start, so peers can tell a restarted node from the old one.</summary>
    public long Uid { get; }

    /// <summary>The message types (and deployable actor types) this node can send and receive.</summary>
    public SerializerRegistry Registry => _registry;

    public Address ExternalAddress => _address;

    public IActorRef? ResolveRemote(ActorPath path) =>
        path.Address.Host is null || path.Address.Port is null ? null : new RemoteActorRef(this, path);

    // ---- sending ----

    /// <summary>Serializes and sends; an unregistered message type throws here, at the sender.</summary>
    internal void Send(RemoteActorRef recipient, object message, IActorRef sender)
    {
        // Serialized into a per-thread buffer (the transport copies the frame into its queue before TrySend returns),
        // taken out of its slot meanwhile so that a send from inside a serializer cannot overwrite it.
        var frame = t_frame ?? new ArrayBufferWriter<byte>(1024);
        t_frame = null;
        try
        {
            SendFrame(recipient, message, sender, frame);
        }
        finally
        {
            // A buffer that grew for one large message is not kept.
            if (frame.Capacity <= 64 * 1024)
            {
                frame.ResetWrittenCount();
                t_frame = frame;
            }
        }
    }

    private void SendFrame(RemoteActorRef recipient, object message, IActorRef sender, ArrayBufferWriter<byte> frame)
    {
        try
        {
            _serializer.Serialize(message, recipient, sender, frame);
        }
        catch (MessageTooLargeException e)
        {
            _log.Warning("{MessageType} to {Recipient} not sent: {Reason}", message.GetType().Name, recipient.Path, e.Message);
            System.DeadLetters.Tell(new DeadLetter(message, sender, recipient), sender);
            return;
        }
        var address = recipient.Path.Address;
        if (!TrySendFrame(recipient, frame.WrittenSpan, out var failure))
        {
            _log.Debug("{MessageType} to {Recipient} not sent ({Failure})", message.GetType().Name, recipient.Path, failure);
            System.DeadLetters.Tell(new DeadLetter(message, sender, recipient), sender);
            return;
        }
        if (sender is FutureActorRef future && _askDestinations.TryAdd(future, (address.Host!, address.Port!.Value)))
            _ = future.Task.ContinueWith(t => _askDestinations.TryRemove(future, out var _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    // ---- refs in messages ----

    string IActorRefResolver.Serialize(IActorRef actorRef)
    {
        switch (actorRef)
        {
            case null or Nobody:
                return "";
            case RemoteActorRef remote:
                return remote.WirePath;
            case FutureActorRef future:
                var key = future.Path.ToStringWithAddress(_address);
                if (_temps.TryAdd(key, future))
                    _ = future.Task.ContinueWith(_ => _temps.TryRemove(key, out FutureActorRef? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return key;
            default:
                return _localPaths.GetValue(actorRef, _localWirePath);
        }
    }

    private string LocalWirePath(IActorRef actorRef)
    {
        var path = actorRef.Path.ToStringWithAddress(_address);
        return actorRef.Path.Uid == ActorPath.UndefinedUid ? path : $"{path}#{actorRef.Path.Uid}";
    }

    IActorRef IActorRefResolver.Resolve(string path)
    {
        if (path.Length == 0) return Nobody.Instance;
        if (!ActorPath.TryParse(path, out var parsed)) throw new FormatException($"not an actor path: '{path}'");
        return ResolveLocalOrRemote(parsed, path) ?? System.DeadLetters;
    }

    private IActorRef? ResolveLocalOrRemote(ActorPath path, string text)
    {
        if (!System.IsLocalAddress(path.Address)) return ResolveRemote(path);
        if (path.Elements is ["temp", _])
            return _temps.TryGetValue(text.Split('#')[0], out var future) ? future : null;
        if (path.Elements is ["remote", ..]) return ResolveDeployed(path);
        return System.ResolveActorRef(path);
    }

    // ---- receiving (on the transport's reader loop: nothing here may block) ----

    void IFrameHandler.OnFrame(NodeIdentity from, ReadOnlySequence<byte> payload)
    {
        if (IsBlackholed(from.Host, from.Port)) return;
        if (!_serializer.TryDeserialize(payload, out var envelope, out var failure, out var error))
        {
            if (failure == DeserializationFailure.MalformedEnvelope)
                throw new InvalidDataException($"malformed envelope from {from}: {error}"); // the transport closes the connection
            _log.Warning("dropped a message from {Peer}: {Error}", from, error);
            return;
        }
        if (envelope.IsSystem)
        {
            OnSystemMessage(from, envelope);
            return;
        }
        if (!_recipients.TryGet(envelope.Recipient, out var recipient)) recipient = ResolveRecipient(from, envelope.Recipient);
        if (recipient is null)
        {
            System.DeadLetters.Tell(new DeadLetter(envelope.Message, envelope.Sender, System.DeadLetters), envelope.Sender);
            return;
        }
        recipient.Tell(envelope.Message, envelope.Sender);
    }

    private IActorRef? ResolveRecipient(NodeIdentity from, string text)
    {
        if (!ActorPath.TryParse(text, out var path)) return null;
        if (!System.IsLocalAddress(path.Address))
        {
            _log.Warning("dropped a message from {Peer} addressed to another node: {Recipient}", from, text);
            return null;
        }
        var recipient = ResolveLocalOrRemote(path, text);
        if (recipient is not null) _recipients.Add(text, recipient);
        return recipient;
    }

    // The transport logs associations at Information; here they are only a debugging aid.
    void IFrameHandler.OnAssociated(NodeIdentity peer) => _log.Debug("associated with {Peer}", peer);

    void IFrameHandler.OnDisassociated(NodeIdentity peer, string reason)
    {
        _log.Debug("disassociated from {Peer}: {Reason}", peer, reason);
        // The connection carried both the requests and their replies: an ask still waiting on that node never gets one.
        FailAsksTo(peer.Host, peer.Port, $"the connection to {peer.Host}:{peer.Port} was lost ({reason})");
    }

    void IFrameHandler.OnPeerRestarted(NodeIdentity previous, NodeIdentity current)
    {
        _log.Information("{Peer} restarted as incarnation {Uid}", previous, current.Uid);
        _watcher?.Tell(new Watch.AddressTerminated(
            new Address(Address.DefaultProtocol, previous.SystemName, previous.Host, previous.Port),
            $"it restarted as incarnation {current.Uid}"));
    }

    void IFrameHandler.OnAssociationFailed(string host, int port, string reason)
    {
        _log.Warning("could not associate with {Host}:{Port}: {Reason}", host, port, reason);
        FailAsksTo(host, port, $"the ask could not be delivered: {host}:{port} could not be reached ({reason})");
    }

    private void FailAsksTo(string host, int port, string reason)
    {
        foreach (var (future, destination) in _askDestinations)
        {
            if (string.Equals(destination.Host, host, StringComparison.OrdinalIgnoreCase) && destination.Port == port)
                future.Fail(new AskTerminatedException(reason));
        }
    }

    public ValueTask DisposeAsync() => _transport.DisposeAsync();
}

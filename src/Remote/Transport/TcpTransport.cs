using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Serilog;

namespace ActorTasks.Remote.Transport;

/// <summary>
/// Moves opaque frames between authenticated nodes over TCP: one connection per pair of nodes, 4-byte length-prefixed
/// frames, coalesced writes, a secret proven by HMAC challenge–response, optional TLS. Delivery is at-most-once and
/// ordered per sender–receiver pair; frames queued for a peer whose connection is lost are dropped.
/// </summary>
public sealed partial class TcpTransport : IAsyncDisposable
{
    private const int NotStarted = 0, Starting = 1, Running = 2, Stopped = 3;

    private readonly ConcurrentDictionary<PeerAddress, Association> _associations = new();
    private readonly TaskTracker _tasks = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private TlsContext? _tls;
    private Handshake? _handshake;
    private IFrameHandler? _handler;
    private int _state;

    /// <summary>A transport with the given settings (validated here) that logs to <paramref name="logger"/>; it listens once started.</summary>
    public TcpTransport(TransportSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        Settings = settings.Validate();
        Log = logger.ForContext<TcpTransport>();
    }

    /// <summary>The settings this transport runs with.</summary>
    public TransportSettings Settings { get; }

    /// <summary>This node's identity as peers see it (advertised host, bound port); set by <see cref="StartAsync"/>.</summary>
    public NodeIdentity LocalIdentity => Local;

    internal NodeIdentity Local { get; private set; }

    internal ILogger Log { get; }

    internal IFrameHandler Handler => _handler!;

    internal TransportCounters Counters { get; } = new();

    internal bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>
    /// Binds the listener (port 0 picks a free one), and from then on accepts peers and delivers their frames to
    /// <paramref name="handler"/>; returns this node's identity with the bound port.
    /// </summary>
    public async Task<NodeIdentity> StartAsync(string systemName, long uid, IFrameHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (string.IsNullOrWhiteSpace(systemName) || Encoding.UTF8.GetByteCount(systemName) > TransportSettings.MaxHostNameBytes || systemName.Any(char.IsControl))
            throw new ArgumentException($"system name '{systemName}' must be 1 to {TransportSettings.MaxHostNameBytes} bytes without control characters", nameof(systemName));
        if (Interlocked.CompareExchange(ref _state, Starting, NotStarted) != NotStarted)
            throw new InvalidOperationException("the transport was started already");
        Socket? listener = null;
        try
        {
            _tls = TlsContext.Create(Settings.Tls);
            var address = await BindAddress.ResolveAsync(Settings.Hostname, cancellationToken).ConfigureAwait(false);
            listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                listener.Bind(new IPEndPoint(address, Settings.Port));
                listener.Listen(512);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"actortasks.remote.hostname/port: cannot listen on {address}:{Settings.Port}: {e.Message}", e);
            }
            var bound = (IPEndPoint)listener.LocalEndPoint!;
            Local = new NodeIdentity(systemName, Settings.AdvertisedHost, bound.Port, uid);
            _handshake = new Handshake(Local, Settings.Secret);
            _handler = handler;
            _listener = listener;
            foreach (var warning in BindAddress.StartupWarnings(Settings, address)) Log.Warning("{Warning:l}", warning);
            Log.Information("Listening on {EndPoint:l} as {Local:l}{Tls:l}", bound, Local, _tls is null ? "" : " with TLS");
            Volatile.Write(ref _state, Running);
            _tasks.Track(AcceptLoopAsync(listener));
            return Local;
        }
        catch
        {
            listener?.Dispose();
            _tls?.Dispose();
            Volatile.Write(ref _state, Stopped);
            throw;
        }
    }

    /// <summary>
    /// Queues a copy of <paramref name="frame"/> for the node at <paramref name="host"/>:<paramref name="port"/> without
    /// blocking, dialing it if needed; false (with the reason) when the frame is too large, the peer is unreachable
    /// or backing off, its queue is full, or the transport is not running — the caller dead-letters the message.
    /// The caller may reuse <paramref name="frame"/>'s memory as soon as this returns.
    /// </summary>
    public bool TrySend(string host, int port, ReadOnlySpan<byte> frame, out SendFailure failure)
    {
        if (RouteTo(host, port) is { } route) return TrySend(route, frame, out failure);
        failure = Volatile.Read(ref _state) != Running || IsStopping ? SendFailure.NotRunning : SendFailure.InvalidAddress;
        return false;
    }

    /// <summary>
    /// The association with the node at <paramref name="host"/>:<paramref name="port"/>, for a sender that writes to it
    /// often to keep and pass to <see cref="TrySend(Association, ReadOnlySpan{byte}, out SendFailure)"/> (associations
    /// last as long as the transport); null when the transport is not running or the address is not a peer's (invalid,
    /// or this node's own).
    /// </summary>
    internal Association? RouteTo(string host, int port)
    {
        if (Volatile.Read(ref _state) != Running || IsStopping) return null;
        if (string.IsNullOrWhiteSpace(host) || port is < 1 or > 65535) return null;
        var address = new PeerAddress(host, port);
        if (address.Equals(Local.Address)) return null;
        return _associations.TryGetValue(address, out var association) ? association : AssociationFor(address);
    }

    /// <summary>As <see cref="TrySend(string, int, ReadOnlySpan{byte}, out SendFailure)"/>, to an association from <see cref="RouteTo"/>.</summary>
    internal bool TrySend(Association route, ReadOnlySpan<byte> frame, out SendFailure failure)
    {
        if (Volatile.Read(ref _state) != Running || IsStopping)
        {
            failure = SendFailure.NotRunning;
            return false;
        }
        if (frame.Length > Settings.MaximumFrameSize)
        {
            Log.Warning("Not sending a frame of {Size} bytes to {Address:l}: it exceeds actortasks.remote.maximum-frame-size ({Limit} bytes); the message goes to dead letters",
                frame.Length, route.Address, Settings.MaximumFrameSize);
            failure = SendFailure.FrameTooLarge;
            return false;
        }
        failure = route.TrySend(frame);
        return failure == SendFailure.None;
    }

    /// <summary>Stops listening, lets each connection flush its queue (up to the shutdown timeout), closes all connections and waits for the handler calls to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        var previous = Interlocked.Exchange(ref _state, Stopped);
        if (previous == Stopped) return;
        _stopping.Cancel();
        _listener?.Dispose();
        // First the accept loop and inbound handshakes (which may create associations), then every association.
        await _tasks.WhenAllAsync().ConfigureAwait(false);
        await Task.WhenAll(_associations.Values.Select(a => a.ShutdownAsync())).ConfigureAwait(false);
        _tls?.Dispose();
        if (previous == Running) Log.Information("Stopped listening as {Local:l}", Local);
    }

    /// <summary>The connection to the node at <paramref name="host"/>:<paramref name="port"/> now, if any (for tests and diagnostics).</summary>
    internal Connection? ConnectionTo(string host, int port) =>
        _associations.TryGetValue(new PeerAddress(host, port), out var association) ? association.CurrentConnection : null;

    private Association AssociationFor(PeerAddress address) =>
        _associations.GetOrAdd(address, static (a, transport) => new Association(transport, a), this);
}

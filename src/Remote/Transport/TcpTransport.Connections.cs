using System.Net;
using System.Net.Sockets;
using Serilog.Events;

namespace ActorTasks.Remote.Transport;

public sealed partial class TcpTransport
{
    // Inbound connections that have not finished their handshake; capped so that idle or slow unauthenticated
    // connections cannot pile up. Incremented by the accept loop, decremented when the handshake ends either way.
    private int _pending;

    /// <summary>Inbound connections still in their handshake (for tests and diagnostics).</summary>
    internal int PendingHandshakes => Volatile.Read(ref _pending);

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!IsStopping)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || IsStopping)
            {
                return;
            }
            catch (SocketException e)
            {
                // E.g. out of file descriptors: say so, and do not spin on it.
                Log.Warning("Accepting a connection failed: {Reason:l}", e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
                continue;
            }
            if (Interlocked.Increment(ref _pending) > Settings.MaxPendingConnections)
            {
                Interlocked.Decrement(ref _pending);
                Log.Warning("Refused connection from {RemoteEndPoint:l}: {Limit} connections are already in their handshake (actortasks.remote.max-pending-connections)",
                    socket.RemoteEndPoint, Settings.MaxPendingConnections);
                socket.Dispose();
                continue;
            }
            _tasks.Track(Task.Run(() => AcceptConnectionAsync(socket)));
        }
    }

    private async Task AcceptConnectionAsync(Socket socket)
    {
        var remote = socket.RemoteEndPoint;
        Connection? connection = null;
        var admitted = false;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        deadline.CancelAfter(Settings.HandshakeTimeout);
        try
        {
            socket.NoDelay = true;
            var (stream, binding) = await SecureAsync(socket, clientOf: null, deadline.Token).ConfigureAwait(false);
            connection = new Connection(socket, stream, isOutbound: false, Counters);
            var accepted = connection;
            await _handshake!.AcceptAsync(connection.Input, connection.Output, binding, peer =>
            {
                accepted.Peer = peer;
                var refusal = AssociationFor(peer.Address).Admit(accepted);
                admitted = refusal is null;
                return refusal;
            }, deadline.Token).ConfigureAwait(false);
            connection.MarkReady();
        }
        catch (Exception e)
        {
            var (reason, level) = e is OperationCanceledException
                ? IsStopping ? ("the node is shutting down", LogEventLevel.Debug) : (HandshakeTimedOut(), LogEventLevel.Warning)
                : TransportErrors.Describe(e);
            Log.Write(level, "Inbound handshake from {RemoteEndPoint:l} failed: {Reason:l}", remote, reason);
            if (admitted) connection!.Abort($"handshake failed: {reason}"); // adopted already: its association sees it close
            else if (connection is not null) await connection.DisposeUnstartedAsync().ConfigureAwait(false);
            else socket.Dispose();
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Dials <paramref name="address"/>, runs TLS and the handshake within the handshake timeout, and returns the connection ready to run.</summary>
    internal async Task<Connection> ConnectAsync(PeerAddress address, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        deadline.CancelAfter(Settings.HandshakeTimeout);
        var literal = IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip);
        var socket = literal ? new Socket(ip!.AddressFamily, SocketType.Stream, ProtocolType.Tcp) : new Socket(SocketType.Stream, ProtocolType.Tcp);
        Connection? connection = null;
        try
        {
            socket.NoDelay = true;
            EndPoint endPoint = literal ? new IPEndPoint(ip!, address.Port) : new DnsEndPoint(address.Host, address.Port);
            await socket.ConnectAsync(endPoint, deadline.Token).ConfigureAwait(false);
            var (stream, binding) = await SecureAsync(socket, clientOf: address.Host, deadline.Token).ConfigureAwait(false);
            connection = new Connection(socket, stream, isOutbound: true, Counters);
            connection.Peer = await _handshake!.DialAsync(connection.Input, connection.Output, address, binding, deadline.Token).ConfigureAwait(false);
            connection.MarkReady();
            return connection;
        }
        catch (Exception e)
        {
            if (connection is not null) await connection.DisposeUnstartedAsync().ConfigureAwait(false);
            else socket.Dispose();
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested && !IsStopping) throw new TimeoutException(HandshakeTimedOut());
            throw;
        }
    }

    /// <summary>The stream to run the handshake on: TLS as server (<paramref name="clientOf"/> null) or as client of that host, or plain TCP.</summary>
    private async Task<(Stream Stream, byte[] Binding)> SecureAsync(Socket socket, string? clientOf, CancellationToken cancellationToken)
    {
        var plain = new NetworkStream(socket, ownsSocket: false);
        if (_tls is null) return (plain, []);
        return clientOf is null
            ? await _tls.AuthenticateAsServerAsync(plain, cancellationToken).ConfigureAwait(false)
            : await _tls.AuthenticateAsClientAsync(plain, clientOf, cancellationToken).ConfigureAwait(false);
    }

    private string HandshakeTimedOut() =>
        $"no complete handshake within {Settings.HandshakeTimeout.TotalMilliseconds:0} ms (actortasks.remote.handshake-timeout)";
}

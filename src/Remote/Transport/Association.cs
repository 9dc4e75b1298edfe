using Serilog.Events;

namespace ActorTasks.Remote.Transport;

/// <summary>
/// Everything this node keeps about one peer address: the outbound queue of the current session, the one connection
/// that carries it, the dial in progress, the reconnect gate, and the last incarnation seen. A session starts with the
/// first send (or an inbound connection) and ends when its connection is lost or cannot be made; the queue and the
/// frames in it end with it, and sends fail until the backoff has passed. A send refused during the backoff asks for
/// a redial as soon as it ends.
/// </summary>
internal sealed partial class Association
{
    // Settles: senders opening a session vs. the session ending; an inbound connection being admitted vs. our own dial
    // completing (the simultaneous-connect tie-break); the gate timer vs. sends; shutdown vs. all of these. Held only
    // for state changes: never across I/O, a handler call, or an await.
    private readonly object _lock = new();
    private readonly TcpTransport _transport;
    private readonly TaskTracker _tasks = new();
    private OutboundQueue? _queue;
    private Connection? _connected;
    private DialAttempt? _dialing;
    private NodeIdentity? _lastPeer;
    private long _gatedUntil;
    private int _failures;
    private bool _demand;
    private bool _closed;
    private Timer? _gateTimer;

    public Association(TcpTransport transport, PeerAddress address)
    {
        _transport = transport;
        Address = address;
    }

    public PeerAddress Address { get; }

    private TransportSettings Settings => _transport.Settings;

    /// <summary>The connection carrying the session now, if any (for tests and diagnostics).</summary>
    internal Connection? CurrentConnection
    {
        get
        {
            lock (_lock) return _connected;
        }
    }

    /// <summary>Queues a copy of <paramref name="frame"/> for the peer, opening a session (and dialing) if there is none.</summary>
    public SendFailure TrySend(ReadOnlySpan<byte> frame)
    {
        var queue = Volatile.Read(ref _queue);
        if (queue is not null)
        {
            var result = queue.TryEnqueue(frame);
            if (result != SendFailure.Unreachable) return result;
        }
        lock (_lock)
        {
            if (_closed || _transport.IsStopping) return SendFailure.NotRunning;
            if (_queue is null)
            {
                if (Environment.TickCount64 < _gatedUntil)
                {
                    _demand = true;
                    return SendFailure.Unreachable;
                }
                // The first frame goes in before the dial starts, so a dial that fails at once cannot overtake it.
                _queue = NewQueue();
                var first = _queue.TryEnqueue(frame);
                StartDialLocked();
                return first;
            }
            queue = _queue;
        }
        // Copying outside the lock: a large frame must not hold up other senders. Should the session end in between,
        // the enqueue reports Unreachable, as it would have a moment later.
        return queue.TryEnqueue(frame);
    }

    /// <summary>
    /// Decides, for an inbound connection whose dialer proved the secret, whether this node keeps it; when it does, the
    /// connection is adopted here (its loops start once Accept is written). Returns the refusal otherwise.
    /// </summary>
    public (RejectCode Code, string Reason)? Admit(Connection connection)
    {
        DialAttempt? abandoned = null;
        lock (_lock)
        {
            if (_closed || _transport.IsStopping) return (RejectCode.ShuttingDown, "the node is shutting down");
            var peer = connection.Peer;
            var localIsLower = NodeIdentity.CompareForTieBreak(_transport.Local, peer) < 0;
            if (_connected is { IsOutbound: true } current && current.Peer.Uid == peer.Uid && localIsLower)
                return (RejectCode.Duplicate, "both nodes dialed; the connection dialed by the lower node is kept");
            if (_connected is null && _dialing is not null)
            {
                if (localIsLower) return (RejectCode.Duplicate, "both nodes dialed; the connection dialed by the lower node is kept");
                abandoned = _dialing;
                _dialing = null;
            }
            AdoptLocked(connection);
        }
        // Not cancelled: the abandoned dial runs on until the peer refuses it as the duplicate (a quiet Debug line on both
        // sides), rather than vanishing mid-handshake (a warning on the peer).
        abandoned?.Superseded.TrySetResult();
        return null;
    }

    /// <summary>Flushes what is queued (for at most the shutdown timeout), closes the connection, and waits for every handler call to finish.</summary>
    public async Task ShutdownAsync()
    {
        Connection? connected;
        DialAttempt? dialing;
        lock (_lock)
        {
            _closed = true;
            _gateTimer?.Dispose();
            dialing = _dialing;
            _dialing = null;
            connected = _connected;
            if (connected is null) _queue?.DropAll();
            else _queue?.Complete();
        }
        dialing?.Cancel();
        if (connected is not null)
        {
            // Completing the queue lets the writer drain it and close gracefully; a peer that does not read is cut off.
            await Task.WhenAny(connected.Completion, Task.Delay(Settings.ShutdownTimeout)).ConfigureAwait(false);
            connected.Abort("transport shutting down");
        }
        // Until no dial or connection runs and no handler call is pending; either may start the other.
        while (true)
        {
            await _tasks.WhenAllAsync().ConfigureAwait(false);
            Task tail;
            lock (_lock) tail = _events;
            await tail.ConfigureAwait(false);
            lock (_lock)
            {
                if (tail == _events && _tasks.IsIdle) return;
            }
        }
    }

    private OutboundQueue NewQueue() => new(Settings.OutboundQueueLimit, Settings.OutboundQueueByteLimit);

    private void StartDialLocked()
    {
        var attempt = new DialAttempt();
        _dialing = attempt;
        _tasks.Track(Task.Run(() => DialAsync(attempt)));
    }

    private async Task DialAsync(DialAttempt attempt)
    {
        Connection? connection = null;
        Exception? failure = null;
        try
        {
            connection = await _transport.ConnectAsync(Address, attempt.Cancellation.Token).ConfigureAwait(false);
        }
        catch (HandshakeException e) when (e is { Code: RejectCode.Duplicate, RefusedByPeer: true })
        {
            // The peer keeps the connection it dialed to us; give it time to arrive (Admit supersedes this attempt then).
            await Task.WhenAny(attempt.Superseded.Task, Task.Delay(Settings.HandshakeTimeout, attempt.Cancellation.Token)).ConfigureAwait(false);
            failure = new HandshakeException("both nodes dialed and the peer kept its own connection, but it never arrived", RejectCode.Protocol);
        }
        catch (Exception e)
        {
            failure = e;
        }

        lock (_lock)
        {
            if (_dialing == attempt)
            {
                _dialing = null;
                if (connection is not null)
                {
                    AdoptLocked(connection);
                    return;
                }
                if (_connected is null) FailSessionLocked(failure!);
                return;
            }
        }
        // Superseded: an inbound connection from the peer was adopted instead, or the transport is shutting down.
        if (connection is not null) await connection.DisposeUnstartedAsync().ConfigureAwait(false);
    }

    private void FailSessionLocked(Exception failure)
    {
        var (reason, level) = TransportErrors.Describe(failure);
        var (dropped, delay) = EndSessionLocked();
        var address = Address;
        EnqueueEventLocked(() =>
        {
            _transport.Log.Write(level, "Could not associate with {Address:l}: {Reason:l}; {Dropped} queued frames dropped, sends fail for {Backoff} ms",
                address, reason, dropped, (long)delay.TotalMilliseconds);
            Raise(h => h.OnAssociationFailed(address.Host, address.Port, reason));
        });
    }

    private void AdoptLocked(Connection connection)
    {
        var previous = _connected;
        var last = _lastPeer;
        var peer = connection.Peer;
        _connected = connection;
        _lastPeer = peer;
        _failures = 0;
        _gatedUntil = 0;
        _demand = false;
        _queue ??= NewQueue();
        var queue = _queue;
        // Aborting runs cancellation callbacks; not here, under the lock.
        if (previous is not null) ThreadPool.QueueUserWorkItem(static p => p.Abort("replaced by a newer connection to the same peer"), previous, preferLocal: false);
        EnqueueEventLocked(async () =>
        {
            // The new connection reads only after the old one stopped delivering, and writes only after the old one
            // stopped taking from the shared queue: frames stay in order across the switch.
            if (previous is not null) await previous.Completion.ConfigureAwait(false);
            var restarted = last is { } seen && seen.Uid != peer.Uid;
            if (restarted)
            {
                var old = last!.Value;
                if (previous is not null) Raise(h => h.OnDisassociated(old, "the peer restarted with a new uid"));
                _transport.Log.Information("{Peer:l} is a new incarnation of {Previous:l}", peer, old);
                Raise(h => h.OnPeerRestarted(old, peer));
            }
            if (previous is null || restarted)
            {
                _transport.Log.Information("Associated with {Peer:l} ({Direction:l} connection, {RemoteEndPoint:l})",
                    peer, connection.IsOutbound ? "outbound" : "inbound", connection.RemoteEndPoint);
                Raise(h => h.OnAssociated(peer));
            }
            _tasks.Track(RunConnectionAsync(connection, queue));
        });
    }

    private async Task RunConnectionAsync(Connection connection, OutboundQueue queue)
    {
        try
        {
            await connection.RunAsync(queue, _transport.Handler, Settings.MaximumFrameSize, Settings.ShutdownTimeout).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Not expected (the loops catch their own failures), but the session must still end.
            connection.Abort($"connection failed: {e.Message}");
            _transport.Log.Error(e, "The connection to {Peer:l} failed unexpectedly", connection.Peer);
        }
        lock (_lock)
        {
            if (_connected != connection) return; // replaced: the replacement reports whatever changed
            _connected = null;
            var (dropped, _) = EndSessionLocked();
            var peer = connection.Peer;
            EnqueueEventLocked(() =>
            {
                _transport.Log.Write(connection.ClosedForViolation ? LogEventLevel.Warning : LogEventLevel.Information,
                    "Disassociated from {Peer:l} ({RemoteEndPoint:l}): {Reason:l}; {Dropped} queued frames dropped",
                    peer, connection.RemoteEndPoint, connection.CloseReason, dropped);
                Raise(h => h.OnDisassociated(peer, connection.CloseReason));
            });
        }
    }

    /// <summary>Ends the session: drops the queue and (unless shutting down) closes the gate for the next backoff delay.</summary>
    private (int Dropped, TimeSpan Backoff) EndSessionLocked()
    {
        var dropped = _queue?.DropAll() ?? 0;
        _queue = null;
        if (_closed) return (dropped, TimeSpan.Zero);
        _failures = Math.Min(_failures + 1, 30);
        var delay = TimeSpan.FromTicks(Math.Min(Settings.ReconnectBackoffMax.Ticks, Settings.ReconnectBackoffMin.Ticks << (_failures - 1)));
        if (delay < Settings.ReconnectBackoffMin) delay = Settings.ReconnectBackoffMax; // the shift overflowed
        _gatedUntil = Environment.TickCount64 + (long)Math.Ceiling(delay.TotalMilliseconds);
        _gateTimer?.Dispose();
        _gateTimer = new Timer(static state => ((Association)state!).OnGateOpened(), this, delay, Timeout.InfiniteTimeSpan);
        return (dropped, delay);
    }

    private void OnGateOpened()
    {
        lock (_lock)
        {
            if (_closed || !_demand || _queue is not null) return;
            _demand = false;
            _gatedUntil = 0;
            _queue = NewQueue();
            StartDialLocked();
        }
    }

    private sealed class DialAttempt
    {
        /// <summary>Cancelled when the transport shuts down.</summary>
        public CancellationTokenSource Cancellation { get; } = new();

        /// <summary>Completed when an inbound connection from the peer was adopted instead.</summary>
        public TaskCompletionSource Superseded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // CancelAsync runs the callbacks (and any continuation they resume) on the pool, not on the caller's thread.
        public void Cancel() => _ = Cancellation.CancelAsync();
    }
}

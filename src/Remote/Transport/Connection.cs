using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace ActorTasks.Remote.Transport;

/// <summary>
/// One TCP connection (plain or TLS) to a peer, read and written through pipes. The handshake runs on it first. Once
/// its association adopts it, <see cref="RunAsync"/> starts one <see cref="ReadPump"/> (frames to the handler, one at
/// a time, in order) and attaches the connection to the association's queue, whose drains write into it (all that is
/// queued, then one flush), until either side ends.
/// </summary>
internal sealed class Connection
{
    // Frames are written to the pipe and flushed when the queue runs dry, or earlier once this much is unflushed, so a
    // deep queue of large frames does not all sit in the pipe's memory at once.
    private const int FlushThreshold = 256 * 1024;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TransportCounters _counters;
    // True when the write side has ended (the queue was completed and written, or a write failed): the result of a
    // graceful end, false otherwise. Also completed when the connection is aborted.
    private readonly TaskCompletionSource<bool> _writesEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _closeReason;
    private bool _violation;

    public Connection(Socket socket, Stream stream, bool isOutbound, TransportCounters counters)
    {
        _socket = socket;
        _stream = stream;
        _counters = counters;
        IsOutbound = isOutbound;
        RemoteEndPoint = socket.RemoteEndPoint;
        LocalEndPoint = socket.LocalEndPoint;
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    /// <summary>True when this node dialed the connection.</summary>
    public bool IsOutbound { get; }

    public EndPoint? RemoteEndPoint { get; }

    public EndPoint? LocalEndPoint { get; }

    /// <summary>The peer's identity, known once the handshake has passed.</summary>
    public NodeIdentity Peer { get; set; }

    /// <summary>Completes once the loops have ended (or will never run) and the socket is closed.</summary>
    public Task Completion => _completion.Task;

    public string CloseReason => _closeReason ?? "connection closed";

    /// <summary>True when the connection was closed for malformed input from the peer.</summary>
    public bool ClosedForViolation => _violation;

    /// <summary>The handshake is complete (Accept written or read); the loops may start.</summary>
    public void MarkReady() => _ready.TrySetResult();

    /// <summary>Closes the connection at once, for <paramref name="reason"/> unless a reason was already recorded.</summary>
    public void Abort(string reason)
    {
        Interlocked.CompareExchange(ref _closeReason, reason, null);
        _ready.TrySetResult();
        _abort.Cancel();
        _socket.Dispose();
    }

    /// <summary>Closes a connection that never got to <see cref="RunAsync"/> (a failed or refused handshake).</summary>
    public async Task DisposeUnstartedAsync()
    {
        Abort("handshake did not complete");
        await ReleaseAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the reader loop and writes the queue's frames (the queue drains into this connection while it is attached)
    /// until either ends; then closes everything and completes <see cref="Completion"/>.
    /// </summary>
    public async Task RunAsync(OutboundQueue queue, IFrameHandler handler, int maximumFrameSize, TimeSpan shutdownTimeout)
    {
        await _ready.Task.ConfigureAwait(false);
        if (!_abort.IsCancellationRequested)
        {
            var reading = new ReadPump(this, handler, maximumFrameSize).Start();
            var writing = _writesEnded.Task;
            using var aborted = _abort.Token.Register(static s => ((TaskCompletionSource<bool>)s!).TrySetResult(false), _writesEnded);
            queue.Attach(this);
            var first = await Task.WhenAny(reading, writing).ConfigureAwait(false);
            if (first == writing && await writing.ConfigureAwait(false))
            {
                // The queue was completed (shutdown) and everything in it is flushed: half-close and give the peer a
                // moment to see the end and close its side, so the last frames are not lost to a reset.
                Close("transport shutting down", violation: false);
                try
                {
                    _socket.Shutdown(SocketShutdown.Send);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    // Already gone.
                }
                await Task.WhenAny(reading, Task.Delay(shutdownTimeout)).ConfigureAwait(false);
            }
            Abort("connection closed");
            await reading.ConfigureAwait(false);
            // No drain may be writing into the pipe when it is completed below.
            await queue.DetachAsync(this).ConfigureAwait(false);
        }
        await ReleaseAsync().ConfigureAwait(false);
    }

    /// <summary>Starts the next read of the input, cancelled when the connection is aborted.</summary>
    internal ValueTask<ReadResult> ReadAsync() => Input.ReadAsync(_abort.Token);

    /// <summary>
    /// Hands the complete frames of one read to <paramref name="handler"/>, in order, and keeps a partial one for the
    /// next read; false when the reading must end (the reason is recorded).
    /// </summary>
    internal bool OnRead(ReadResult result, IFrameHandler handler, int maximumFrameSize)
    {
        var buffer = result.Buffer;
        try
        {
            while (true)
            {
                var status = FrameCodec.TryRead(ref buffer, maximumFrameSize, out var payload, out var length);
                if (status == FrameCodec.ReadStatus.NeedMoreData) break;
                if (status == FrameCodec.ReadStatus.TooLarge)
                {
                    Close($"received a frame of {length} bytes, more than actortasks.remote.maximum-frame-size ({maximumFrameSize} bytes)", violation: true);
                    return false;
                }
                if (!Deliver(handler, payload)) return false;
            }
            if (result.IsCompleted)
            {
                Close(buffer.IsEmpty ? "connection closed by the peer" : "connection closed by the peer in the middle of a frame", violation: false);
                return false;
            }
            return !result.IsCanceled;
        }
        finally
        {
            Input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Ends the reading after a failed read: records the reason, unless the connection was aborted.</summary>
    internal void OnReadFailed(Exception e)
    {
        // Any failure of the socket, the TLS stream or the pipe ends this connection, never the node.
        if (!(e is OperationCanceledException && _abort.IsCancellationRequested)) Close($"connection lost: {e.Message}", violation: false);
    }

    private bool Deliver(IFrameHandler handler, System.Buffers.ReadOnlySequence<byte> payload)
    {
        try
        {
            handler.OnFrame(Peer, payload);
            return true;
        }
        catch (Exception e)
        {
            Close($"malformed frame ({payload.Length} bytes): {e.Message}", violation: true);
            return false;
        }
    }

    /// <summary>True once the write side has ended: nothing more is written.</summary>
    internal bool IsWriteClosed => _writesEnded.Task.IsCompleted || _abort.IsCancellationRequested;

    /// <summary>
    /// Writes the queued frames into the pipe (up to the flush threshold) and flushes them once; the flush's result is
    /// true while the connection lives. Called by the queue's drain only, one at a time.
    /// </summary>
    internal ValueTask<bool> WriteFrom(OutboundQueue queue)
    {
        if (IsWriteClosed) return new(false);
        try
        {
            while (queue.TryDequeue(out var frame))
            {
                try
                {
                    FrameCodec.Write(Output, frame.Payload);
                }
                finally
                {
                    frame.Release();
                }
                if (Output.UnflushedBytes >= FlushThreshold) break;
            }
        }
        catch (Exception e)
        {
            Close($"connection lost: {e.Message}", violation: false);
            return new(false);
        }
        return Output.UnflushedBytes == 0 ? new(true) : FlushAsync();
    }

    /// <summary>After a drain's flush: ends the write side when it failed, or when the completed queue is all written.</summary>
    internal void OnFlushed(bool alive, OutboundQueue queue)
    {
        if (!alive) _writesEnded.TrySetResult(false);
        else if (queue.IsCompleted && queue.IsEmpty) _writesEnded.TrySetResult(true);
    }

    private async ValueTask<bool> FlushAsync()
    {
        try
        {
            // Counted as it starts, so whoever receives the bytes already sees the flush that sent them.
            _counters.CountFlush();
            var result = await Output.FlushAsync(_abort.Token).ConfigureAwait(false);
            return !result.IsCompleted && !result.IsCanceled;
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e)
        {
            Close($"connection lost: {e.Message}", violation: false);
            return false;
        }
    }

    private void Close(string reason, bool violation)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is null) _violation = violation;
        _abort.Cancel();
    }

    private async Task ReleaseAsync()
    {
        try
        {
            await Input.CompleteAsync().ConfigureAwait(false);
            await Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // Unflushed bytes of a dead connection have nowhere to go.
        }
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // Closing a broken TLS stream may fail to send its close notification.
        }
        _socket.Dispose();
        _completion.TrySetResult();
    }
}

using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using ActorTasks.Remote.Transport;

namespace ActorTasks.Remote.Tests.Transport.Support;

/// <summary>A hand-driven TCP client for hostile-input tests: raw bytes, or the real handshake followed by raw frames.</summary>
public sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly RecordingStream _stream;

    private RawPeer(Socket socket)
    {
        _socket = socket;
        _stream = new RecordingStream(new NetworkStream(socket, ownsSocket: false));
    }

    /// <summary>Everything written so far (for replaying a handshake).</summary>
    public byte[] Written => _stream.Written;

    public static async Task<RawPeer> ConnectAsync(NodeIdentity node, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(node.Host), node.Port), cancellationToken);
        return new RawPeer(socket);
    }

    /// <summary>Writes bytes; false if the node has closed the connection already.</summary>
    public async Task<bool> TrySendAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await _stream.WriteAsync(bytes);
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Runs the real dialer handshake as <paramref name="identity"/> with <paramref name="secret"/>; returns the node's identity.</summary>
    public async Task<NodeIdentity> HandshakeAsync(NodeIdentity identity, NodeIdentity expected, string? secret, CancellationToken cancellationToken = default)
    {
        var input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        var output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        return await new Handshake(identity, secret).DialAsync(input, output, new PeerAddress(expected.Host, expected.Port), [], cancellationToken);
    }

    /// <summary>Reads one frame (for the handshake replay), or null if the connection closed first.</summary>
    public async Task<byte[]?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var header = new byte[4];
        if (!await ReadExactlyAsync(header, cancellationToken)) return null;
        var body = new byte[System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header)];
        return await ReadExactlyAsync(body, cancellationToken) ? body : null;
    }

    /// <summary>True once the node has closed the connection (end of stream or reset) within <paramref name="timeout"/>; false if it is still open then.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (true)
            {
                if (await _stream.ReadAsync(buffer, cts.Token) == 0) return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or SocketException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A stream that keeps a copy of what is written through it.</summary>
    private sealed class RecordingStream(Stream inner) : Stream
    {
        private readonly MemoryStream _written = new();

        public byte[] Written
        {
            get
            {
                lock (_written) return _written.ToArray();
            }
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (_written) _written.Write(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }
    }
}

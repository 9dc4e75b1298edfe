using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ActorTasks.Bench;

/// <summary>
/// The raw TCP baselines: plain sockets moving 4-byte length-prefixed frames of a given size, with blocking calls on
/// dedicated threads (the cheapest way to move them), against an echo server that sends back every complete frame.
/// </summary>
internal static class RawTcp
{
    /// <summary>Serves frame echo on <paramref name="listener"/> from background threads, one per connection, until the process ends.</summary>
    public static void ServeEcho(Socket listener)
    {
        new Thread(() =>
        {
            while (true)
            {
                Socket client;
                try
                {
                    client = listener.Accept();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }
                new Thread(() => Echo(client)) { IsBackground = true, Name = "raw echo" }.Start();
            }
        }) { IsBackground = true, Name = "raw echo accept" }.Start();
    }

    private static void Echo(Socket socket)
    {
        using var _ = socket;
        socket.NoDelay = true;
        var buffer = new byte[256 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                var read = socket.Receive(buffer.AsSpan(filled));
                if (read == 0) return;
                filled += read;
                // Send back the complete frames; keep a partial one for the next read.
                var complete = 0;
                while (filled - complete >= 4)
                {
                    var length = 4 + (int)BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(complete));
                    if (length > buffer.Length) return;
                    if (filled - complete < length) break;
                    complete += length;
                }
                if (complete > 0) SendAll(socket, buffer.AsSpan(0, complete));
                buffer.AsSpan(complete, filled - complete).CopyTo(buffer);
                filled -= complete;
            }
        }
        catch (SocketException)
        {
            // The client went away.
        }
    }

    /// <summary>
    /// Keeps <paramref name="inFlight"/> frames of <paramref name="payloadSize"/> bytes on their way to the echo server
    /// and back until <paramref name="roundTrips"/> have returned; counts both directions, like the ping-pong.
    /// </summary>
    public static RateSample Throughput(IPEndPoint echo, int payloadSize, int inFlight, long roundTrips)
    {
        using var socket = Connect(echo);
        var frameLength = 4 + payloadSize;
        var frames = Frames(payloadSize, inFlight);
        var receive = new byte[Math.Max(64 * 1024, frames.Length)];
        var sw = Stopwatch.StartNew();
        SendAll(socket, frames);
        long sent = inFlight, returned = 0, bytes = 0;
        while (returned < roundTrips)
        {
            var read = socket.Receive(receive);
            if (read == 0) throw new IOException("the echo server closed the connection");
            bytes += read;
            var now = bytes / frameLength;
            var fresh = (int)(now - returned);
            returned = now;
            var more = (int)Math.Min(fresh, roundTrips - sent);
            if (more > 0)
            {
                SendAll(socket, frames.AsSpan(0, more * frameLength));
                sent += more;
            }
        }
        sw.Stop();
        return new RateSample(2 * roundTrips, sw.Elapsed.TotalSeconds);
    }

    /// <summary>Round-trip times in microseconds of <paramref name="count"/> frames sent one at a time.</summary>
    public static double[] RoundTrips(IPEndPoint echo, int payloadSize, int count)
    {
        using var socket = Connect(echo);
        var frame = Frames(payloadSize, 1);
        var receive = new byte[frame.Length];
        var micros = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            SendAll(socket, frame);
            var got = 0;
            while (got < receive.Length)
            {
                var read = socket.Receive(receive.AsSpan(got));
                if (read == 0) throw new IOException("the echo server closed the connection");
                got += read;
            }
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        return micros;
    }

    private static Socket Connect(IPEndPoint echo)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(echo);
        return socket;
    }

    private static byte[] Frames(int payloadSize, int count)
    {
        var frameLength = 4 + payloadSize;
        var frames = new byte[frameLength * count];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(frames.AsSpan(i * frameLength), (uint)payloadSize);
            frames.AsSpan(i * frameLength + 4, payloadSize).Fill((byte)'x');
        }
        return frames;
    }

    private static void SendAll(Socket socket, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty) bytes = bytes[socket.Send(bytes)..];
    }
}

using System.Buffers.Binary;
using System.Net.Sockets;
using ActorTasks.Node.Hosting;

namespace ActorTasks.Tests.Fixtures.Chaos;

/// <summary>What a stranger on the network can send to a node's port. The node must survive each: drop the connection, log once, go on.</summary>
internal static class NetworkFaults
{
    /// <summary>Connects and writes <paramref name="bytes"/> random bytes, then closes.</summary>
    public static async Task GarbageAsync(SeedEndpoint target, Random random, int bytes)
    {
        var buffer = new byte[bytes];
        random.NextBytes(buffer);
        await SendAsync(target, buffer);
    }

    /// <summary>
    /// A frame header that announces far more than akka.remote's maximum-frame-size (a length of almost 2 GiB, read
    /// either way round), followed by <paramref name="bytes"/> random bytes of "frame".
    /// </summary>
    public static async Task OversizedFrameAsync(SeedEndpoint target, Random random, int bytes)
    {
        var buffer = new byte[4 + bytes];
        BinaryPrimitives.WriteInt32BigEndian(buffer, 0x7FFF_FFF0);
        random.NextBytes(buffer.AsSpan(4));
        await SendAsync(target, buffer);
    }

    /// <summary>
    /// Two connections left hanging for <paramref name="hold"/>: one that never sends a byte after the TCP handshake,
    /// and one that starts a TLS handshake (a ClientHello record header and its first bytes) and never finishes it.
    /// </summary>
    public static async Task HalfOpenAsync(SeedEndpoint target, TimeSpan hold)
    {
        using var silent = new TcpClient();
        using var tls = new TcpClient();
        await silent.ConnectAsync(target.Host, target.Port);
        await tls.ConnectAsync(target.Host, target.Port);
        // TLS record: handshake (22), version 3.1, length 512; handshake: ClientHello (1), length 508, version 3.3 — then nothing.
        byte[] hello = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03];
        await WriteQuietlyAsync(tls, hello);
        await Task.Delay(hold);
    }

    private static async Task SendAsync(SeedEndpoint target, byte[] buffer)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(target.Host, target.Port);
        await WriteQuietlyAsync(client, buffer);
    }

    // The node may close the connection before everything is written: that is it defending itself, not a failure.
    private static async Task WriteQuietlyAsync(TcpClient client, byte[] buffer)
    {
        try
        {
            await client.GetStream().WriteAsync(buffer);
            await client.GetStream().FlushAsync();
        }
        catch (IOException)
        {
        }
    }
}

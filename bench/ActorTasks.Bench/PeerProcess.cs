using System.Diagnostics;
using System.Net;

namespace ActorTasks.Bench;

/// <summary>This executable started again as a <see cref="RemotePeer"/>; stopped (and if need be killed) on dispose.</summary>
internal sealed class PeerProcess : IDisposable
{
    private readonly Process _process;

    private PeerProcess(Process process, string address, IPEndPoint rawEcho)
    {
        _process = process;
        Address = address;
        RawEcho = rawEcho;
    }

    /// <summary>The peer node's address, e.g. <c>actortasks://bench-peer@127.0.0.1:40123</c>.</summary>
    public string Address { get; }

    /// <summary>The peer's raw TCP frame echo server.</summary>
    public IPEndPoint RawEcho { get; }

    public static async Task<PeerProcess> StartAsync()
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable this is");
        var info = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Under `dotnet ActorTasks.Bench.dll` the process is the dotnet host: hand it the assembly again.
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            info.ArgumentList.Add(typeof(PeerProcess).Assembly.Location);
        info.ArgumentList.Add(RemotePeer.Argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {self}");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                var parts = line.Split(' ');
                if (parts is ["READY", var address, var port])
                {
                    // Keep draining its output so that it never blocks on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                    return new PeerProcess(process, address, new IPEndPoint(IPAddress.Loopback, int.Parse(port)));
                }
                Console.WriteLine($"  peer: {line}");
            }
            throw new InvalidOperationException($"the peer process exited (code {process.ExitCode}) before it was ready");
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(15))) Kill(_process);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited already.
        }
    }
}

using System.Collections;
using System.Net;
using System.Net.Sockets;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Hosting;

namespace ActorTasks.Node.Tests.Support;

/// <summary>Configuration and waits for <see cref="NodeHost"/>s started in the test process, on loopback, each on a free port.</summary>
internal static class InProcessNodes
{
    /// <summary>
    /// The role preset with a free port, quiet logging to <paramref name="logDirectory"/>, two consumers per node, no
    /// dashboard (a test that wants one turns it on, on port 0) and <paramref name="settings"/> on top.
    /// </summary>
    public static NodeConfig Config(string preset, string logDirectory, string settings = "") =>
        NodeConfig.Load(preset, null, [], new Hashtable()).With("test", $$"""
            akka.remote.dot-netty.tcp.port = 0
            actortasks.log { console = off, level = warning, file-directory = "{{Escape(logDirectory)}}" }
            actortasks.tasks.consumers-per-node = 2
            actortasks.dashboard.enabled = off
            {{settings}}
            """);

    /// <summary>A loopback port nobody listens on (at the moment it is asked): where a seed is not.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static string Escape(string path) => path.Replace("\\", "\\\\", StringComparison.Ordinal);

    /// <summary>Where another node joins <paramref name="host"/> (<c>--join</c>).</summary>
    public static SeedEndpoint Endpoint(NodeHost host) => new(host.Address.Host!, host.Address.Port!.Value);

    /// <summary>Completes when the cluster has made <paramref name="host"/> Up.</summary>
    public static Task WhenUpAsync(NodeHost host)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Cluster!.RegisterOnMemberUp(() => up.TrySetResult());
        return up.Task;
    }
}

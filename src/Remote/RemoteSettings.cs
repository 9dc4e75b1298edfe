using ActorTasks.Hocon;
using ActorTasks.Remote.FailureDetection;
using ActorTasks.Remote.Transport;

namespace ActorTasks.Remote;

/// <summary>Everything remoting reads from <c>actortasks.remote.*</c>: the transport, and remote death watch.</summary>
public sealed record RemoteSettings
{
    /// <summary>Loopback, any free port, no secret; remote watch heartbeats every 500 ms, a dead node noticed within about 3–4 s.</summary>
    public static RemoteSettings Default { get; } = new();

    /// <summary>How this node binds, authenticates and frames (see <see cref="TransportSettings"/>).</summary>
    public TransportSettings Transport { get; init; } = TransportSettings.Default;

    /// <summary>
    /// The failure detector behind remote death watch (<c>actortasks.remote.watch-failure-detector</c>): a node whose
    /// heartbeats stop is declared dead and every watcher of its actors gets <c>Terminated</c>.
    /// </summary>
    public FailureDetectorSettings WatchFailureDetector { get; init; } = new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(500),
        AcceptableHeartbeatPause = TimeSpan.FromSeconds(2),
        FirstHeartbeatEstimate = TimeSpan.FromMilliseconds(500),
        MinStdDeviation = TimeSpan.FromMilliseconds(100),
        Threshold = 10,
    };

    /// <summary>Reads <c>actortasks.remote.*</c>; a bad value throws <see cref="ConfigException"/> naming the key and where it was set.</summary>
    public static RemoteSettings Create(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        const string detector = "actortasks.remote.watch-failure-detector";
        return new RemoteSettings
        {
            Transport = TransportSettings.Create(config),
            WatchFailureDetector = config.HasPath(detector)
                ? FailureDetectorSettings.Create(config.WithFallback(Defaults(detector)), detector)
                : Default.WatchFailureDetector,
        };
    }

    // The record's defaults as a config, so that a block setting only some keys keeps the others.
    private static Config Defaults(string path)
    {
        var d = Default.WatchFailureDetector;
        return ConfigFactory.ParseString(
            $"{path} {{ heartbeat-interval = {d.HeartbeatInterval.TotalMilliseconds}ms, acceptable-heartbeat-pause = {d.AcceptableHeartbeatPause.TotalMilliseconds}ms, " +
            $"threshold = {d.Threshold}, min-std-deviation = {d.MinStdDeviation.TotalMilliseconds}ms }}");
    }
}

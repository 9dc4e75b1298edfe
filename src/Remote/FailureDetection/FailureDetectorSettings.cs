using ActorTasks.Hocon;

namespace ActorTasks.Remote.FailureDetection;

/// <summary>
/// Settings of a <see cref="PhiAccrualFailureDetector"/>. A silent node is suspected after roughly
/// <c>mean interval + AcceptableHeartbeatPause + a few × MinStdDeviation</c>; <see cref="Threshold"/> sets how many.
/// </summary>
public sealed record FailureDetectorSettings
{
    /// <summary>Defaults tuned so a dead node is suspected within about 2.5 s of its last heartbeat.</summary>
    public static FailureDetectorSettings Default { get; } = new();

    /// <summary>How often the monitored node sends a heartbeat (also the basis of the first estimate).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Phi above which the node counts as unavailable: 8 means a one-in-10^8 chance the heartbeat is just late.</summary>
    public double Threshold { get; init; } = 8.0;

    /// <summary>How many recent heartbeat intervals the statistics are taken over.</summary>
    public int MaxSampleSize { get; init; } = 1000;

    /// <summary>Floor for the standard deviation, so very regular heartbeats do not make the detector hair-triggered.</summary>
    public TimeSpan MinStdDeviation { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Pause tolerated on top of the mean interval (garbage collection, a busy machine, a slow network).</summary>
    public TimeSpan AcceptableHeartbeatPause { get; init; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>Assumed interval before real ones are measured; by default the heartbeat interval.</summary>
    public TimeSpan FirstHeartbeatEstimate { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting (by its config key); returns this otherwise.</summary>
    public FailureDetectorSettings Validate()
    {
        foreach (var (key, problem) in Problems())
            throw new ArgumentException($"{key} {problem}");
        return this;
    }

    /// <summary>
    /// Reads a failure-detector block such as <c>actortasks.cluster.failure-detector</c>: heartbeat-interval, threshold,
    /// max-sample-size, min-std-deviation, acceptable-heartbeat-pause, first-heartbeat-estimate (default: the
    /// heartbeat interval). Missing keys keep their defaults; a bad value throws <see cref="ConfigException"/> naming it.
    /// </summary>
    public static FailureDetectorSettings Create(Config config, string path)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var prefix = path + ".";
        var d = Default;
        var interval = config.GetTimeSpan(prefix + "heartbeat-interval", d.HeartbeatInterval);
        var settings = new FailureDetectorSettings
        {
            HeartbeatInterval = interval,
            Threshold = config.GetDouble(prefix + "threshold", d.Threshold),
            MaxSampleSize = config.GetInt(prefix + "max-sample-size", d.MaxSampleSize),
            MinStdDeviation = config.GetTimeSpan(prefix + "min-std-deviation", d.MinStdDeviation),
            AcceptableHeartbeatPause = config.GetTimeSpan(prefix + "acceptable-heartbeat-pause", d.AcceptableHeartbeatPause),
            FirstHeartbeatEstimate = config.GetTimeSpan(prefix + "first-heartbeat-estimate", interval),
        };
        foreach (var (key, problem) in settings.Problems())
        {
            var full = prefix + key;
            throw new ConfigException($"{full}: {problem}", config.GetValueOrNull(full)?.Origin, full);
        }
        return settings;
    }

    private IEnumerable<(string Key, string Problem)> Problems()
    {
        if (HeartbeatInterval <= TimeSpan.Zero) yield return ("heartbeat-interval", $"must be positive but is {HeartbeatInterval}");
        if (!(Threshold > 0) || double.IsInfinity(Threshold)) yield return ("threshold", $"must be a positive number but is {Threshold}");
        if (MaxSampleSize < 1) yield return ("max-sample-size", $"must be at least 1 but is {MaxSampleSize}");
        if (MinStdDeviation <= TimeSpan.Zero) yield return ("min-std-deviation", $"must be positive but is {MinStdDeviation}");
        if (AcceptableHeartbeatPause < TimeSpan.Zero) yield return ("acceptable-heartbeat-pause", $"must not be negative but is {AcceptableHeartbeatPause}");
        if (FirstHeartbeatEstimate <= TimeSpan.Zero) yield return ("first-heartbeat-estimate", $"must be positive but is {FirstHeartbeatEstimate}");
    }
}

namespace ActorTasks.Tasks.Configuration;

/// <summary>The task system's settings (<c>actortasks.tasks.*</c>): consumers, prefetch, retries, progress and resources.</summary>
public sealed partial record TaskSystemSettings
{
    /// <summary>The defaults, as in reference.conf.</summary>
    public static readonly TaskSystemSettings Default = new();

    /// <summary>Consumers each node runs; 0 means one per processor core.</summary>
    public int ConsumersPerNode { get; init; }

    /// <summary>Most tasks of one job a consumer holds at once (running, queued and asked for); bounds the producer's memory.</summary>
    public int Prefetch { get; init; } = 256;

    /// <summary>How much work, by measured task time, a consumer tries to hold per job: fewer tasks when tasks are slow, so that the last ones spread across consumers.</summary>
    public TimeSpan PrefetchTime { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>A consumer running tasks back to back reports results at least this often.</summary>
    public TimeSpan ResultBatchTime { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The most result bytes one message from a consumer carries (a run's results are split to fit); a single task
    /// result larger than this fails its task, since it could not reach the seed. Keep it under the remote frame size.
    /// </summary>
    public long MaxResultBytes { get; init; } = 3L << 20;

    /// <summary>Retries of a failed task before it is recorded as failed, unless the job sets its own.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Delay before a task's first retry; it doubles with each further retry.</summary>
    public TimeSpan RetryBackoffMin { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay before a retry.</summary>
    public TimeSpan RetryBackoffMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Progress events go to watchers at most this often.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Failed tasks listed (with their errors) in a job's result; all of them are counted.</summary>
    public int FailuresKept { get; init; } = 100;

    /// <summary>Finished jobs whose status and results the job manager keeps; older ones are forgotten.</summary>
    public int FinishedJobsKept { get; init; } = 100;

    /// <summary>
    /// The SQLite file in which a seed journals its jobs and their settled tasks (Akka.Persistence), relative to the
    /// working directory; null, empty or blank: no journal, unless <see cref="JournalPostgreSql"/> is set.
    /// </summary>
    public string? Journal { get; init; }

    /// <summary>A PostgreSQL connection string: the journal lives there, shared by seeds on several machines.</summary>
    public string? JournalPostgreSql { get; init; }

    /// <summary>
    /// True when the job manager journals its jobs (Akka.Persistence is configured for it): a seed restarted, or a job
    /// manager moved to another seed, resumes unfinished jobs from the last settled results the journal holds.
    /// </summary>
    public bool Durable { get; init; }

    /// <summary>A job's journal takes a snapshot of its state (its reducer's among it) after this many events, so recovery reads a bounded stream.</summary>
    public int SnapshotEvery { get; init; } = 200;

    /// <summary>
    /// A job that no consumer takes within this fails, naming why (no worker is up, or every worker declined it: the kind
    /// unknown there, a file missing there); <see cref="TimeSpan.Zero"/> waits for as long as it takes.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a task waits for the resources its job kind declares before the attempt fails.</summary>
    public TimeSpan ResourceAcquireTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Resources the resource manager defines at start, with their permits (e.g. <c>disk = 2</c>); 0 permits sizes a
    /// resource to the workers: one permit per node that runs consumers, following nodes as they come and go.
    /// </summary>
    public IReadOnlyDictionary<string, int> Resources { get; init; } = new Dictionary<string, int> { [DiskResource] = 0 };

    /// <summary>The resource that bounds tasks writing files (the images kind); sized to the workers unless configured.</summary>
    public const string DiskResource = "disk";

    /// <summary><see cref="ConsumersPerNode"/>, with 0 resolved to the processor count.</summary>
    public int EffectiveConsumersPerNode => ConsumersPerNode == 0 ? Environment.ProcessorCount : ConsumersPerNode;

    /// <summary>The retry delay before attempt <paramref name="nextAttempt"/> (2 for the first retry): min, doubling, capped at max.</summary>
    /// <remarks>A minimum of zero retries at once, every time (zero doubled is still zero).</remarks>
    public TimeSpan RetryDelay(int nextAttempt)
    {
        var doublings = Math.Clamp(nextAttempt - 2, 0, 62);
        // In double, so a large minimum doubled many times caps at the maximum instead of wrapping around.
        var ticks = RetryBackoffMin.Ticks * Math.Pow(2, doublings);
        return ticks >= RetryBackoffMax.Ticks ? RetryBackoffMax : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Checks ranges; throws <see cref="ArgumentOutOfRangeException"/> naming the setting.</summary>
    public TaskSystemSettings Validate()
    {
        foreach (var (key, problem) in Problems())
            throw new ArgumentOutOfRangeException(key, $"{key} {problem}");
        return this;
    }

    /// <summary>Each out-of-range setting, by its configuration key.</summary>
    internal IEnumerable<(string Key, string Problem)> Problems()
    {
        const string p = "actortasks.tasks.";
        if (ConsumersPerNode < 0) yield return (p + "consumers-per-node", $"must not be negative but is {ConsumersPerNode}");
        if (Prefetch < 1) yield return (p + "prefetch", $"must be at least 1 but is {Prefetch}");
        if (PrefetchTime <= TimeSpan.Zero) yield return (p + "prefetch-time", $"must be positive but is {PrefetchTime}");
        if (ResultBatchTime <= TimeSpan.Zero) yield return (p + "result-batch-time", $"must be positive but is {ResultBatchTime}");
        if (MaxResultBytes < 1) yield return (p + "max-result-bytes", $"must be at least 1 byte but is {MaxResultBytes}");
        if (MaxRetries < 0) yield return (p + "max-retries", $"must not be negative but is {MaxRetries}");
        if (RetryBackoffMin < TimeSpan.Zero) yield return (p + "retry-backoff-min", $"must not be negative but is {RetryBackoffMin}");
        if (RetryBackoffMax < RetryBackoffMin)
            yield return (p + "retry-backoff-max", $"must be at least retry-backoff-min ({RetryBackoffMin}) but is {RetryBackoffMax}");
        if (ProgressInterval <= TimeSpan.Zero) yield return (p + "progress-interval", $"must be positive but is {ProgressInterval}");
        if (FailuresKept < 0) yield return (p + "failures-kept", $"must not be negative but is {FailuresKept}");
        if (FinishedJobsKept < 0) yield return (p + "finished-jobs-kept", $"must not be negative but is {FinishedJobsKept}");
        if (SnapshotEvery < 1) yield return (p + "snapshot-every", $"must be at least 1 but is {SnapshotEvery}");
        if (StartTimeout < TimeSpan.Zero) yield return (p + "start-timeout", $"must not be negative but is {StartTimeout}");
        if (ResourceAcquireTimeout < TimeSpan.Zero && ResourceAcquireTimeout != Timeout.InfiniteTimeSpan)
            yield return (p + "resource-acquire-timeout", $"must not be negative but is {ResourceAcquireTimeout}");
        foreach (var (name, permits) in Resources)
        {
            if (permits < 0) yield return (p + "resources." + name, $"must be a number of permits, or 0 for one per consumer, but is {permits}");
        }
    }
}

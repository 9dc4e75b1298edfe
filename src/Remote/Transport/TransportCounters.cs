namespace ActorTasks.Remote.Transport;

/// <summary>Counts what tests and diagnostics look at (e.g. that writes are coalesced: flushes stay below frames).</summary>
internal sealed class TransportCounters
{
    private long _flushes;

    public long Flushes => Interlocked.Read(ref _flushes);

    public void CountFlush() => Interlocked.Increment(ref _flushes);
}

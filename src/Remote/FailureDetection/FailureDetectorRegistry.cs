using System.Collections.Concurrent;

namespace ActorTasks.Remote.FailureDetection;

/// <summary>
/// One failure detector per monitored resource (a node's address), created on its first heartbeat. Safe to use
/// from several threads; a resource never heard from counts as available.
/// </summary>
public sealed class FailureDetectorRegistry<TKey> where TKey : notnull
{
    private readonly Func<IFailureDetector> _factory;
    private readonly ConcurrentDictionary<TKey, IFailureDetector> _detectors = new();

    /// <summary>A registry that makes each new detector with <paramref name="factory"/>.</summary>
    public FailureDetectorRegistry(Func<IFailureDetector> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
    }

    /// <summary>Records a heartbeat from <paramref name="key"/>, starting to monitor it if this is the first.</summary>
    public void Heartbeat(TKey key) => _detectors.GetOrAdd(key, static (_, f) => f(), _factory).Heartbeat();

    /// <summary>False only when <paramref name="key"/> is monitored and its detector says it is unavailable.</summary>
    public bool IsAvailable(TKey key) => !_detectors.TryGetValue(key, out var detector) || detector.IsAvailable;

    /// <summary>True once a heartbeat from <paramref name="key"/> has been recorded (and not removed since).</summary>
    public bool IsMonitoring(TKey key) => _detectors.TryGetValue(key, out var detector) && detector.IsMonitoring;

    /// <summary>The detector of <paramref name="key"/>, if it is monitored.</summary>
    public IFailureDetector? Get(TKey key) => _detectors.TryGetValue(key, out var detector) ? detector : null;

    /// <summary>Stops monitoring <paramref name="key"/>; its next heartbeat starts over with a fresh detector.</summary>
    public void Remove(TKey key) => _detectors.TryRemove(key, out _);

    /// <summary>Stops monitoring everything.</summary>
    public void Reset() => _detectors.Clear();

    /// <summary>The keys monitored now.</summary>
    public IReadOnlyCollection<TKey> Monitored => _detectors.Keys.ToArray();
}

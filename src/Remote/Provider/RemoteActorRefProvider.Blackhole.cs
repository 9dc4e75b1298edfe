using System.Collections.Concurrent;
using ActorTasks.Actor;
using ActorTasks.Remote.Transport;

namespace ActorTasks.Remote.Provider;

// A test hook that cuts this node off from chosen peers without closing anything: frames to them are dropped
// before the transport and frames from them are dropped on arrival, as a network partition would. Cluster tests
// use it to split a cluster in two.
public sealed partial class RemoteActorRefProvider
{
    private readonly ConcurrentDictionary<(string Host, int Port), byte> _blackholed = new();
    // The number of entries in _blackholed, read on every frame sent and received: ConcurrentDictionary.IsEmpty takes
    // all of the dictionary's locks when it is empty, which every node is outside of tests.
    private int _blackholedCount;

    /// <summary>Drops all traffic to and from <paramref name="peer"/> until <see cref="Unblackhole"/>.</summary>
    internal void Blackhole(Address peer)
    {
        if (_blackholed.TryAdd((peer.Host ?? "", peer.Port ?? 0), 0)) Interlocked.Increment(ref _blackholedCount);
    }

    /// <summary>Lets traffic with <paramref name="peer"/> through again.</summary>
    internal void Unblackhole(Address peer)
    {
        if (_blackholed.TryRemove((peer.Host ?? "", peer.Port ?? 0), out _)) Interlocked.Decrement(ref _blackholedCount);
    }

    private bool IsBlackholed(string host, int port) => Volatile.Read(ref _blackholedCount) != 0 && _blackholed.ContainsKey((host, port));

    private bool TrySendFrame(string host, int port, ReadOnlySpan<byte> frame, out SendFailure failure)
    {
        if (IsBlackholed(host, port))
        {
            failure = default;
            return true; // lost on the way, as in a partition: the sender cannot tell
        }
        return _transport.TrySend(host, port, frame, out failure);
    }

    /// <summary>As the above, through the association the recipient keeps (found once, not per message).</summary>
    private bool TrySendFrame(RemoteActorRef recipient, ReadOnlySpan<byte> frame, out SendFailure failure)
    {
        var address = recipient.Path.Address;
        var (host, port) = (address.Host!, address.Port!.Value);
        // A blackholed peer, or no route (not running, an invalid address): the overload by address says which.
        if (IsBlackholed(host, port) || (recipient.Route ??= _transport.RouteTo(host, port)) is not { } route)
            return TrySendFrame(host, port, frame, out failure);
        return _transport.TrySend(route, frame, out failure);
    }
}

using System.Collections.Immutable;
using ActorTasks.Actor;
using Serilog;

namespace ActorTasks.Routing;

/// <summary>A message that carries its own consistent-hash key: messages with equal keys go to the same routee.</summary>
public interface IConsistentHashable
{
    /// <summary>The key; routed by the UTF-8 bytes of its invariant-culture string (a <c>byte[]</c> key by its bytes).</summary>
    object ConsistentHashKey { get; }
}

/// <summary>Wraps a message with the key to route it by; the routee receives <see cref="Message"/> alone.</summary>
public sealed record ConsistentHashableEnvelope(object Message, object HashKey) : IConsistentHashable
{
    public object Message { get; } = Message ?? throw new ArgumentNullException(nameof(Message));

    public object HashKey { get; } = HashKey ?? throw new ArgumentNullException(nameof(HashKey));

    public object ConsistentHashKey => HashKey;
}

/// <summary>
/// Routes by key on a hash ring with <c>virtualNodesFactor</c> points per routee, so that adding or removing a routee
/// moves only the keys of that routee. The key comes from the hash mapping when it returns non-null, else from
/// <see cref="IConsistentHashable"/>; a message with neither is logged and dead-lettered. Hashes are MurmurHash3 of
/// UTF-8 strings, so the same keys and routees map the same way in every process.
/// </summary>
public sealed class ConsistentHashingRoutingLogic : RoutingLogic
{
    private readonly ILogger _log;
    private readonly int _virtualNodesFactor;
    private readonly Func<object, object?>? _hashMapping;
    private readonly string _localAddress;

    // The ring for one routee set, rebuilt only when the router replaces its routee array.
    private ImmutableArray<Routee> _ringRoutees;
    private ConsistentHashRing<Routee>? _ring;

    /// <summary>A logic for the router whose context is <paramref name="context"/> (for its logger and address).</summary>
    public ConsistentHashingRoutingLogic(IActorContext context, int virtualNodesFactor = 10, Func<object, object?>? hashMapping = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualNodesFactor, 1);
        _log = context.GetLogger();
        _localAddress = context.System.Address.ToString();
        _virtualNodesFactor = virtualNodesFactor;
        _hashMapping = hashMapping;
    }

    public override Routee Select(object message, ImmutableArray<Routee> routees)
    {
        if (routees.IsEmpty) return NoRoutee.Instance;
        var key = _hashMapping?.Invoke(message) ?? (message as IConsistentHashable)?.ConsistentHashKey;
        if (key is null)
        {
            _log.Warning("Message {MessageType} has no consistent-hash key (no hash mapping for it, and it is not " +
                         "IConsistentHashable or a ConsistentHashableEnvelope); sending it to dead letters",
                message.GetType().Name);
            return NoRoutee.Instance;
        }
        if (_ring is null || _ringRoutees != routees)
        {
            _ring = BuildRing(routees);
            _ringRoutees = routees;
        }
        return _ring.NodeFor(StableHash.OfKey(key));
    }

    private ConsistentHashRing<Routee> BuildRing(ImmutableArray<Routee> routees)
    {
        var nodes = new (string, Routee)[routees.Length];
        for (var i = 0; i < routees.Length; i++) nodes[i] = (IdentityOf(routees[i]), routees[i]);
        return new ConsistentHashRing<Routee>(nodes, _virtualNodesFactor);
    }

    /// <summary>
    /// Where a routee sits on the ring: its full path without uid, so that it does not depend on the incarnation, and
    /// a group path resolved at start (a ref) and one not resolved (a selection) get the same place.
    /// </summary>
    private string IdentityOf(Routee routee) => routee switch
    {
        ActorRefRoutee r => r.Actor.Path.ToString(),
        ActorSelectionRoutee { Selection.PathString: var path } => path.StartsWith('/') ? _localAddress + path : path,
        _ => routee.ToString(),
    };
}

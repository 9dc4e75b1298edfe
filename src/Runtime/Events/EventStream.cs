using ActorTasks.Actor;

namespace ActorTasks.Event;

/// <summary>
/// Publish/subscribe by message type within one actor system. Subscribers are actors; an event reaches every
/// subscriber whose channel type it is assignable to. Subscriptions are an immutable array swapped by CAS, so
/// publishing takes no lock.
/// </summary>
public sealed class EventStream
{
    private Subscription[] _subscriptions = [];

    /// <summary>Subscribes <paramref name="subscriber"/> to events of <paramref name="channel"/> (and its subtypes); false if already subscribed.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        return Update(subs => subs.Any(s => s.Matches(subscriber, channel)) ? null : [.. subs, new Subscription(subscriber, channel)]);
    }

    public bool Subscribe<T>(IActorRef subscriber) => Subscribe(subscriber, typeof(T));

    /// <summary>Removes one subscription; false if there was none.</summary>
    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        return Update(subs => subs.Any(s => s.Matches(subscriber, channel)) ? subs.Where(s => !s.Matches(subscriber, channel)).ToArray() : null);
    }

    /// <summary>Removes every subscription of <paramref name="subscriber"/>.</summary>
    public bool Unsubscribe(IActorRef subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return Update(subs => subs.Any(s => s.Subscriber.Equals(subscriber)) ? subs.Where(s => !s.Subscriber.Equals(subscriber)).ToArray() : null);
    }

    /// <summary>Sends <paramref name="event"/> to every matching subscriber. Subscribers that have stopped are removed.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var type = @event.GetType();
        foreach (var s in Volatile.Read(ref _subscriptions))
        {
            if (!s.Channel.IsAssignableFrom(type)) continue;
            if (s.Subscriber is IInternalActorRef { IsTerminated: true })
            {
                // Sending to it would make a dead letter, which is itself published: drop it instead.
                Unsubscribe(s.Subscriber);
                continue;
            }
            s.Subscriber.Tell(@event, Nobody.Instance);
        }
    }

    internal int SubscriberCount => Volatile.Read(ref _subscriptions).Length;

    private bool Update(Func<Subscription[], Subscription[]?> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _subscriptions);
            var next = change(current);
            if (next is null) return false;
            if (Interlocked.CompareExchange(ref _subscriptions, next, current) == current) return true;
        }
    }

    private sealed record Subscription(IActorRef Subscriber, Type Channel)
    {
        public bool Matches(IActorRef subscriber, Type channel) => Channel == channel && Subscriber.Equals(subscriber);
    }
}

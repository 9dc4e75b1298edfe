using ActorTasks.Dispatch;

namespace ActorTasks.Actor;

public sealed partial class ActorCell
{
    private HashSet<IActorRef>? _watching;
    private HashSet<IActorRef>? _watchedBy;
    private HashSet<IActorRef>? _terminatedQueued;

    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.Equals(_self)) return subject;
        if (subject is not IInternalActorRef target)
            throw new ArgumentException($"{subject} is not a runtime actor ref", nameof(subject));
        if ((_watching ??= []).Add(subject))
            target.SendSystemMessage(new Watch(subject, _self));
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (_watching is not null && _watching.Remove(subject) && subject is IInternalActorRef target)
            target.SendSystemMessage(new Unwatch(subject, _self));
        // A Terminated already queued for it will be dropped on delivery.
        _terminatedQueued?.Remove(subject);
        return subject;
    }

    /// <summary>Someone wants to know when this actor stops.</summary>
    private void HandleWatch(Watch watch)
    {
        if (!watch.Watchee.Equals(_self) || watch.Watcher.Equals(_self)) return;
        if (_terminating)
        {
            ((IInternalActorRef)watch.Watcher).SendSystemMessage(new DeathWatchNotification(_self, true, false));
            return;
        }
        (_watchedBy ??= []).Add(watch.Watcher);
    }

    private void HandleUnwatch(Unwatch unwatch)
    {
        if (unwatch.Watchee.Equals(_self)) _watchedBy?.Remove(unwatch.Watcher);
    }

    /// <summary>A child or a watched actor stopped.</summary>
    private void HandleDeathWatchNotification(DeathWatchNotification notification)
    {
        var actor = notification.Actor;
        var wasChild = TryRemoveChild(actor);
        if (_watching is not null && _watching.Remove(actor))
        {
            (_terminatedQueued ??= []).Add(actor);
            // Through the user queue, so it arrives after the messages the dead actor sent before dying.
            SendMessage(new Envelope(new Terminated(actor, notification.ExistenceConfirmed, notification.AddressTerminated), actor));
        }
        if (!wasChild) return;
        if (_terminating)
        {
            if (!HasChildren) FinishTerminate();
        }
        else if (_pendingRecreate is not null && _childrenStopping is not { Count: > 0 })
        {
            FinishRecreate(_pendingRecreate);
        }
    }
}

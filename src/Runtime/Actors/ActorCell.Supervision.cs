using ActorTasks.Dispatch;

namespace ActorTasks.Actor;

public sealed partial class ActorCell
{
    private int _suspendCount;
    private Exception? _failure;
    private Exception? _pendingRecreate;
    private bool _terminating;
    private bool _terminated;
    private int _draining; // 1 while a thread drains the closed mailbox to dead letters

    /// <summary>
    /// A failure of this actor (in a handler, a constructor, PreStart, or an async handler): suspend, suspend
    /// the children, and ask the parent what to do. The failing message is dropped.
    /// </summary>
    private void HandleInvokeFailure(Exception cause)
    {
        if (_terminating)
        {
            GetLogger().Error(cause, "{ActorPath} failed while stopping", _self.Path);
            return;
        }
        if (_failure is not null)
        {
            // Already waiting for the parent's decision: this is a consequence of that failure.
            GetLogger().Error(cause, "{ActorPath} failed again while awaiting its supervisor's decision", _self.Path);
            return;
        }
        _failure = cause;
        _suspendCount++;
        CancelAsyncWait();
        foreach (var child in ChildStats) child.Child.SendSystemMessage(new Suspend());
        _parent.SendSystemMessage(new Failed(_self, cause, _self.Path.Uid));
    }

    private void HandleSuspend()
    {
        _suspendCount++;
        foreach (var child in ChildStats) child.Child.SendSystemMessage(new Suspend());
    }

    private void HandleResume(Resume resume)
    {
        if (resume.Cause is not null)
        {
            if (_failure is null) return; // stale: the failure was already dealt with
            if (_actor is null)
            {
                // Nothing to resume when the constructor failed: build a fresh instance instead.
                BeginRecreate(resume.Cause);
                return;
            }
            _failure = null;
        }
        if (_suspendCount > 0) _suspendCount--;
        foreach (var child in ChildStats) child.Child.SendSystemMessage(new Resume(null));
    }

    /// <summary>The parent's side: apply this actor's strategy to a failed child.</summary>
    private void HandleChildFailed(Failed failed)
    {
        var stats = GetChildStats(failed.Child);
        if (stats is null || failed.Uid != failed.Child.Path.Uid) return; // a child that is already gone
        if (_terminating || (_childrenStopping is not null && _childrenStopping.Contains(failed.Child))) return;

        var strategy = _props.SupervisorStrategy ?? _actor?.InvokeSupervisorStrategy() ?? SupervisorStrategy.Default;
        var directive = strategy.Decider(failed.Cause);
        if (strategy.LoggingEnabled) LogFailure(failed, directive);

        var affected = strategy.AppliesToAll ? ChildStats.ToArray() : [stats];
        switch (directive)
        {
            case Directive.Resume:
                ((IInternalActorRef)failed.Child).SendSystemMessage(new Resume(failed.Cause));
                break;
            case Directive.Restart:
                foreach (var s in affected)
                {
                    if (strategy.RequestRestartPermission(s))
                        s.Child.SendSystemMessage(new Recreate(failed.Cause));
                    else
                    {
                        GetLogger().Error("{ActorPath} exceeded {Retries} restarts within {Window}; stopping it",
                            s.Child.Path, strategy.MaxNrOfRetries, strategy.WithinTimeRange);
                        Stop(s.Child);
                    }
                }
                break;
            case Directive.Stop:
                foreach (var s in affected) Stop(s.Child);
                break;
            case Directive.Escalate:
                throw failed.Cause;
        }
    }

    private void LogFailure(Failed failed, Directive directive)
    {
        var log = GetLogger();
        if (directive == Directive.Resume)
            log.Warning(failed.Cause, "{Child} failed and was resumed: {Message}", failed.Child.Path, failed.Cause.Message);
        else if (directive != Directive.Escalate)
            log.Error(failed.Cause, "{Child} failed ({Directive}): {Message}", failed.Child.Path, directive, failed.Cause.Message);
    }

    // ---- restart ----

    private void BeginRecreate(Exception cause)
    {
        if (_terminating) return;
        if (_actor is not null)
        {
            try
            {
                _actor.InvokePreRestart(cause, _current.Message);
            }
            catch (Exception e)
            {
                GetLogger().Error(e, "{ActorPath} PreRestart threw; restarting anyway", _self.Path);
            }
        }
        ClearActorState();
        UnstashAll();
        if (_childrenStopping is { Count: > 0 })
            _pendingRecreate = cause; // finish once the children PreRestart stopped are gone
        else
            FinishRecreate(cause);
    }

    private void FinishRecreate(Exception cause)
    {
        _pendingRecreate = null;
        var survivors = ChildStats.ToArray();
        try
        {
            _actor = NewActorInstance();
            _failure = null;
            _suspendCount = 0;
            _actor.InvokePostRestart(cause);
        }
        catch (Exception e)
        {
            _failure = null;
            _suspendCount = 0;
            HandleInvokeFailure(InitializationFailure(e, "restart"));
            return;
        }
        foreach (var child in survivors) child.Child.SendSystemMessage(new Recreate(cause));
    }

    /// <summary>Cancels what belongs to one incarnation: timers, receive timeout, pending async work.</summary>
    private void ClearActorState()
    {
        _timers?.CancelAll();
        StopReceiveTimeout();
        CancelAsyncWait();
    }

    // ---- stop ----

    private void BeginTerminate()
    {
        if (_terminating) return;
        // Full fence: pairs with ActorOf, which re-checks _terminating after adding a child.
        Interlocked.Exchange(ref _terminating, true);
        ClearActorState();
        // No per-child bookkeeping here: while terminating, every child is stopping and the count says when all are gone.
        foreach (var child in ChildStats) child.Child.SendSystemMessage(new Terminate());
        if (!HasChildren) FinishTerminate();
    }

    private void FinishTerminate()
    {
        if (_terminated) return;
        try
        {
            _actor?.InvokePostStop();
        }
        catch (Exception e)
        {
            GetLogger().Error(e, "{ActorPath} PostStop threw", _self.Path);
        }
        Volatile.Write(ref _terminated, true);
        _mailbox.Close();
        DrainStashToDeadLetters();
        DrainToDeadLetters();

        if (_watching is not null)
        {
            foreach (var watchee in _watching)
                ((IInternalActorRef)watchee).SendSystemMessage(new Unwatch(watchee, _self));
            _watching = null;
        }
        if (_watchedBy is not null)
        {
            foreach (var watcher in _watchedBy)
            {
                if (!watcher.Equals(_parent))
                    ((IInternalActorRef)watcher).SendSystemMessage(new DeathWatchNotification(_self, true, false));
            }
            _watchedBy = null;
        }
        _parent.SendSystemMessage(new DeathWatchNotification(_self, true, false));
        _actor = null;
        _behaviors = null;
        _terminatedQueued = null;
    }

    /// <summary>Sends whatever is left in the user queue to dead letters. Safe from any thread, once the mailbox is closed.</summary>
    /// <remarks>
    /// The user queue has one reader. After the close, the actor's own termination and any sender that raced the
    /// close may drain at once, so they take turns: one drains, the others leave it to that one. The drainer looks
    /// again after letting go, so a message queued while it drained (its sender saw the drainer busy) is not left.
    /// </remarks>
    internal void DrainToDeadLetters()
    {
        while (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            while (_mailbox.TryDequeue(out var envelope))
                _system.DeadLetterRef.Deliver(envelope.Message, envelope.Sender, _self);
            Interlocked.Exchange(ref _draining, 0); // a full fence before the second look
            if (!_mailbox.Queue.HasMessages) return;
        }
    }

    /// <summary>A system message that reached this cell after it stopped.</summary>
    internal void HandleSystemMessageAfterDeath(SystemMessage message)
    {
        switch (message)
        {
            case Watch w when w.Watchee.Equals(_self) && !w.Watcher.Equals(_self):
                ((IInternalActorRef)w.Watcher).SendSystemMessage(new DeathWatchNotification(_self, true, false));
                break;
            case Failed f:
                // A child failing towards a stopped parent: it is stopping anyway.
                ((IInternalActorRef)f.Child).SendSystemMessage(new Terminate());
                break;
        }
    }
}

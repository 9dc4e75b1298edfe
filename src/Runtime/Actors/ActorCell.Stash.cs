using ActorTasks.Dispatch;

namespace ActorTasks.Actor;

public sealed partial class ActorCell
{
    private List<Envelope>? _stash;
    // Messages put back in front of the mailbox; the next one to handle is the last element.
    private List<Envelope>? _unstashed;
    private StashHandle? _stashFacade;

    internal IStash StashFacade => _stashFacade ??= new StashHandle(this);

    private void StashCurrent()
    {
        if (_current.Message is null)
            throw new IllegalActorStateException($"{_self.Path}: Stash() can only be called while handling a message");
        (_stash ??= []).Add(_current);
    }

    private void Unstash()
    {
        if (_stash is not { Count: > 0 } stash) return;
        (_unstashed ??= []).Add(stash[0]);
        stash.RemoveAt(0);
    }

    private void UnstashAll()
    {
        if (_stash is not { Count: > 0 } stash) return;
        var unstashed = _unstashed ??= new List<Envelope>(stash.Count);
        for (var i = stash.Count - 1; i >= 0; i--) unstashed.Add(stash[i]);
        stash.Clear();
    }

    private void DrainStashToDeadLetters()
    {
        UnstashAll();
        if (_unstashed is null) return;
        for (var i = _unstashed.Count - 1; i >= 0; i--)
            _system.DeadLetterRef.Deliver(_unstashed[i].Message, _unstashed[i].Sender, _self);
        _unstashed = null;
    }

    private sealed class StashHandle(ActorCell cell) : IStash
    {
        public void Stash() => cell.StashCurrent();
        public void Unstash() => cell.Unstash();
        public void UnstashAll() => cell.UnstashAll();
        public int Count => cell._stash?.Count ?? 0;
    }
}

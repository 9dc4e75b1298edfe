namespace ActorTasks.Actor;

/// <summary>
/// Actors picked by path, looked up each time a message is sent: absolute (<c>/user/a</c>,
/// <c>actortasks://sys/user/a</c>) or relative to an anchor (<c>../b</c>, <c>child</c>). The wildcards
/// <c>*</c> and <c>?</c> match names within one level. A selection that matches nothing dead-letters.
/// </summary>
public sealed class ActorSelection
{
    private readonly ActorSystem _system;
    private readonly IActorRef _anchor;

    internal ActorSelection(ActorSystem system, IActorRef anchor, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _system = system;
        _anchor = anchor;
        PathString = path;
    }

    public string PathString { get; }

    /// <summary>Sends to every actor the path matches now.</summary>
    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        sender ??= ActorCell.Current?.Self ?? Nobody.Instance;
        var matches = Resolve();
        if (matches.Count == 0)
        {
            _system.DeadLetterRef.Deliver(message, sender, _anchor);
            return;
        }
        foreach (var target in matches) target.Tell(message, sender);
    }

    /// <summary>Resolves to one actor, or faults with <see cref="ActorNotFoundException"/>.</summary>
    public Task<IActorRef> ResolveOne(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "a timeout must be positive");
        if (PathString.Contains("://", StringComparison.Ordinal) && ActorPath.TryParse(PathString, out var parsed) && !_system.IsLocalAddress(parsed.Address))
            return IdentifyRemoteAsync(parsed, timeout);
        var matches = Resolve();
        return matches.Count > 0
            ? Task.FromResult(matches[0])
            : Task.FromException<IActorRef>(new ActorNotFoundException($"no actor at '{PathString}'"));
    }

    // An actor on another node is asked who it is, as Akka does: the answer carries its uid, and no answer means
    // no such actor (or no such node) within the timeout.
    private async Task<IActorRef> IdentifyRemoteAsync(ActorPath path, TimeSpan timeout)
    {
        if (_system.ResolveActorRef(path) is not { } target)
            throw new ActorNotFoundException($"no actor at '{PathString}': remoting is not enabled in system '{_system.Name}'");
        ActorIdentity identity;
        try
        {
            identity = await target.Ask<ActorIdentity>(new Identify(PathString), timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or AskTerminatedException)
        {
            throw new ActorNotFoundException($"no actor at '{PathString}': {e.Message}");
        }
        return identity.Subject ?? throw new ActorNotFoundException($"no actor at '{PathString}'");
    }

    internal IReadOnlyList<IActorRef> Resolve()
    {
        string[] segments;
        ActorCell? start;
        if (PathString.Contains("://", StringComparison.Ordinal))
        {
            if (!ActorPath.TryParse(PathString, out var parsed)) return [];
            if (!_system.IsLocalAddress(parsed.Address))
                return _system.ResolveActorRef(parsed) is { } remote ? [remote] : [];
            segments = [.. parsed.Elements];
            start = _system.RootCell;
        }
        else if (PathString.StartsWith('/'))
        {
            segments = PathString.Split('/', StringSplitOptions.RemoveEmptyEntries);
            start = _system.RootCell;
        }
        else
        {
            segments = PathString.Split('/', StringSplitOptions.RemoveEmptyEntries);
            start = (_anchor as LocalActorRef)?.Cell;
        }
        var results = new List<IActorRef>();
        if (start is not null) Walk(start, segments, 0, results);
        return results;
    }

    private static void Walk(ActorCell cell, string[] segments, int index, List<IActorRef> results)
    {
        if (cell.IsTerminated) return;
        if (index == segments.Length)
        {
            results.Add(cell.Self);
            return;
        }
        var segment = segments[index];
        switch (segment)
        {
            case ".":
                Walk(cell, segments, index + 1, results);
                return;
            case "..":
                if (cell.Parent is LocalActorRef parent) Walk(parent.Cell, segments, index + 1, results);
                return;
        }
        var hash = segment.IndexOf('#');
        if (hash >= 0) segment = segment[..hash];
        if (segment.IndexOfAny(['*', '?']) < 0)
        {
            if (cell.GetChild(segment) is { } child) Walk(child.Cell, segments, index + 1, results);
            return;
        }
        foreach (var child in cell.Children)
        {
            if (child is LocalActorRef local && GlobMatches(segment, child.Path.Name))
                Walk(local.Cell, segments, index + 1, results);
        }
    }

    private static bool GlobMatches(string pattern, string name)
    {
        int p = 0, n = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n])) { p++; n++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = n; }
            else if (star >= 0) { p = star + 1; n = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    public override string ToString() => $"ActorSelection[{PathString}]";
}

/// <summary>An actor selection matched no actor.</summary>
public sealed class ActorNotFoundException(string message) : ActorTasksException(message);

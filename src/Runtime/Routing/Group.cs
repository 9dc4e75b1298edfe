using ActorTasks.Actor;

namespace ActorTasks.Routing;

/// <summary>
/// A router over actors that exist elsewhere, given by path. At start each path that names exactly one live actor
/// becomes that actor (watched, and dropped when it stops); a path that names nothing yet, or has wildcards, stays a
/// selection looked up at each send, so its messages go to dead letters until an actor appears there.
/// </summary>
public abstract class Group : RouterConfig
{
    protected Group(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var list = paths.ToArray();
        for (var i = 0; i < list.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(list[i]))
                throw new ArgumentException($"group path #{i} is empty; expected an actor path such as '/user/worker'", nameof(paths));
        }
        Paths = list;
    }

    /// <summary>The routee paths, absolute (<c>/user/a</c>) or relative to the router.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>A fresh routing logic for one router actor (each router owns its own).</summary>
    public abstract RoutingLogic CreateRoutingLogic(IActorContext context);

    /// <summary>Props for this group's router: <c>system.ActorOf(group.Props(), "name")</c>.</summary>
    public Props Props() => Actor.Props.CreateBy(() => new GroupRouterActor(this));

    /// <summary>The group's router props; <paramref name="routeeProps"/> is ignored, since a group creates no routees.</summary>
    public override Props CreateRouterProps(Props routeeProps) => Props();

    public override string ToString() => $"{GetType().Name}({string.Join(", ", Paths)})";
}

/// <summary>The router actor of a <see cref="Group"/>.</summary>
internal sealed class GroupRouterActor : RouterActor
{
    private readonly Group _group;

    public GroupRouterActor(Group group)
        : base(group.CreateRoutingLogic(Context), group.StopRouterWhenAllRouteesRemoved)
    {
        _group = group;
    }

    /// <summary>Resolves the paths (again after a restart: the actors behind them may have changed).</summary>
    protected override void PreStart()
    {
        foreach (var path in _group.Paths)
        {
            var selection = Context.ActorSelection(path);
            var matches = path.AsSpan().IndexOfAny('*', '?') >= 0 ? [] : selection.Resolve();
            AddRoutee(matches.Count == 1 ? new ActorRefRoutee(matches[0]) : new ActorSelectionRoutee(selection));
        }
    }
}

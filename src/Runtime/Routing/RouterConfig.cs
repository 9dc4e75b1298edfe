using ActorTasks.Actor;

namespace ActorTasks.Routing;

/// <summary>
/// Describes a router. <c>ActorOf(props.WithRouter(config))</c> creates the router actor that
/// <see cref="CreateRouterProps"/> returns, which creates (pool) or looks up (group) its routees.
/// </summary>
public abstract class RouterConfig
{
    /// <summary>Props of the router actor for routees built from <paramref name="routeeProps"/> (ignored by groups).</summary>
    public abstract Props CreateRouterProps(Props routeeProps);

    /// <summary>
    /// Throws when this router cannot run in <paramref name="system"/> over routees built from <paramref name="routeeProps"/>;
    /// called by <c>ActorOf</c> before the router is created, so that the mistake surfaces there (the default accepts all).
    /// </summary>
    public virtual void Validate(Props routeeProps, ActorSystem system) { }

    /// <summary>Whether the router stops itself once terminations or removals leave it without routees (Akka's default: yes).</summary>
    public virtual bool StopRouterWhenAllRouteesRemoved => true;
}

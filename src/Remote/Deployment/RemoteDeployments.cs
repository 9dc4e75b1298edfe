using ActorTasks.Actor;
using ActorTasks.Remote.Provider;

namespace ActorTasks.Remote.Deployment;

/// <summary>A child that a parent on another node deployed here.</summary>
internal sealed record ChildDeployed(IActorRef Child, IActorRef Parent);

/// <summary>
/// Looks after the children other nodes deployed on this one (<c>/system/remote-deployments</c>): forgets a child
/// when it stops, and stops a node's children when their parent dies — including when the parent's whole node
/// dies, which remote death watch reports.
/// </summary>
internal sealed class RemoteDeployments : ReceiveActor
{
    private readonly Dictionary<IActorRef, HashSet<IActorRef>> _childrenByParent = [];
    private readonly Dictionary<IActorRef, IActorRef> _parentByChild = [];

    public RemoteDeployments(RemoteActorRefProvider provider)
    {
        Receive<ChildDeployed>(m =>
        {
            Context.Watch(m.Child);
            if (!_childrenByParent.TryGetValue(m.Parent, out var children))
            {
                _childrenByParent[m.Parent] = children = [];
                Context.Watch(m.Parent);
            }
            children.Add(m.Child);
            _parentByChild[m.Child] = m.Parent;
        });
        Receive<Terminated>(t =>
        {
            if (_parentByChild.Remove(t.ActorRef, out var parent))
            {
                provider.ForgetDeployed(t.ActorRef);
                if (_childrenByParent.TryGetValue(parent, out var siblings) && siblings.Remove(t.ActorRef) && siblings.Count == 0)
                {
                    _childrenByParent.Remove(parent);
                    Context.Unwatch(parent);
                }
            }
            else if (_childrenByParent.Remove(t.ActorRef, out var orphans))
            {
                Context.GetLogger().Information("parent {Parent} is gone ({Why}): stopping the {Count} children it deployed here",
                    t.ActorRef.Path, t.AddressTerminated ? "its node died" : "it stopped", orphans.Count);
                foreach (var child in orphans) Context.Stop(child);
            }
        });
    }
}

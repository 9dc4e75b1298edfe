using ActorTasks.Dispatch;

namespace ActorTasks.Actor;

/// <summary>The root of the tree. It ends the system when the user guardian has stopped.</summary>
internal sealed class RootGuardian : ActorBase
{
    protected override void PreStart()
    {
        Context.Watch(Context.Child("user"));
        Context.Watch(Context.Child("system"));
    }

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case TerminateSystem:
                Context.Stop(Context.Child("user"));
                return true;
            case Terminated:
                // The user guardian is gone (by Terminate or by failure): stop the rest, /system last.
                Context.Stop(Self);
                return true;
            default:
                return false;
        }
    }

    protected override SupervisorStrategy SupervisorStrategy() => Actor.SupervisorStrategy.StoppingStrategy;
}

/// <summary>Parent of top-level actors (/user) or of the runtime's own actors (/system).</summary>
internal sealed class GuardianActor : ActorBase
{
    protected override bool Receive(object message) => false;
}

internal sealed class TerminateSystem
{
    public static readonly TerminateSystem Instance = new();
}

/// <summary>The parent of the root guardian: it learns when the whole tree has stopped.</summary>
internal sealed class RootParentRef(ActorSystem system, ActorPath path) : ActorRefBase
{
    public override ActorPath Path { get; } = path;

    public override bool IsTerminated => system.WhenTerminated.IsCompleted;

    public override void Tell(object message, IActorRef? sender) { }

    internal override void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case DeathWatchNotification:
                system.OnRootTerminated();
                break;
            case Failed failed:
                system.Log.Fatal(failed.Cause, "the root guardian failed; terminating the actor system");
                ((IInternalActorRef)failed.Child).SendSystemMessage(new Terminate());
                break;
        }
    }
}

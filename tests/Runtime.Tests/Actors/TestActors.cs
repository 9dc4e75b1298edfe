using ActorTasks.Actor;

namespace ActorTasks.Tests.Actors;

/// <summary>Replies with whatever it receives.</summary>
public sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(m => Sender.Tell(m));
}

/// <summary>Reports its lifecycle hooks to a probe, and fails on "fail".</summary>
public sealed class LifecycleActor : ReceiveActor
{
    private readonly IActorRef _probe;
    private int _count;

    public LifecycleActor(IActorRef probe)
    {
        _probe = probe;
        _probe.Tell("ctor");
        Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("asked to fail"));
        Receive<string>(s => s == "count", _ => Sender.Tell(_count));
        Receive<string>(_ => _count++);
    }

    protected override void PreStart() => _probe.Tell("preStart");
    protected override void PostStop() => _probe.Tell("postStop");

    protected override void PreRestart(Exception reason, object? message)
    {
        _probe.Tell($"preRestart:{reason.Message}:{message}");
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _probe.Tell("postRestart");
        base.PostRestart(reason);
    }
}

/// <summary>A parent that creates children on request and supervises them with the strategy it is given.</summary>
public sealed class Supervisor : ReceiveActor
{
    private readonly SupervisorStrategy _strategy;

    public Supervisor(SupervisorStrategy strategy)
    {
        _strategy = strategy;
        Receive<Props>(p => Sender.Tell(Context.ActorOf(p)));
        Receive<(Props Props, string Name)>(p => Sender.Tell(Context.ActorOf(p.Props, p.Name)));
    }

    protected override SupervisorStrategy SupervisorStrategy() => _strategy;
}

/// <summary>Throws the exception it receives; counts and reports everything else.</summary>
public sealed class Thrower : ReceiveActor
{
    private int _state;

    public Thrower()
    {
        Receive<Exception>(e => throw e);
        Receive<string>(s => s == "state", _ => Sender.Tell(_state));
        Receive<int>(i => _state += i);
    }
}

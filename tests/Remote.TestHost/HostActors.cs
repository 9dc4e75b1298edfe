using ActorTasks.Actor;

namespace ActorTasks.Remote.TestHost;

internal sealed class Echo : ReceiveActor
{
    public Echo() => ReceiveAny(message => Sender.Tell(message, Self));
}

internal sealed class Stopper : ReceiveActor
{
    public Stopper() => Receive<string>(_ => Context.Stop(Self), text => text == "stop");
}

internal sealed class Counter : ReceiveActor
{
    private long _sum;

    public Counter()
    {
        Receive<int>(n => _sum += n);
        Receive<string>(_ => Sender.Tell(_sum, Self), text => text == "get");
    }
}

internal sealed class RelayActor : ReceiveActor
{
    public RelayActor() => Receive<Relay>(relay => relay.ReplyTo.Tell(relay.Text.ToUpperInvariant(), Self));
}

/// <summary>A long handler: on an int, keeps its thread busy that many milliseconds, then answers "spun".</summary>
internal sealed class Spinner : ReceiveActor
{
    public Spinner(TextWriter output) => Receive<int>(milliseconds =>
    {
        output.WriteLine($"{HostProtocol.Got} {HostProtocol.Spinner} {milliseconds}");
        var until = Environment.TickCount64 + milliseconds;
        while (Environment.TickCount64 < until) Thread.SpinWait(100); // the long handler is the point, not a wait
        Sender.Tell("spun", Self);
    });
}

internal sealed class Blackhole : ReceiveActor
{
    public Blackhole(TextWriter output) => ReceiveAny(message => output.WriteLine($"{HostProtocol.Got} {HostProtocol.Blackhole} {message}"));
}

/// <summary>Watches the hosted actors and prints a line when one stops.</summary>
internal sealed class StopReporter : ReceiveActor
{
    private readonly IReadOnlyList<IActorRef> _watched;

    public StopReporter(TextWriter output, IReadOnlyList<IActorRef> watched)
    {
        _watched = watched;
        Receive<Terminated>(t => output.WriteLine($"{HostProtocol.Stopped} {t.ActorRef.Path.Name}"));
    }

    protected override void PreStart()
    {
        foreach (var actor in _watched) Context.Watch(actor);
    }
}

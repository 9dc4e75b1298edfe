using Akka.Actor;
using Akka.Remote;

namespace ActorTasks.Node.Hosting;

/// <summary>
/// Finds an actor on the seed for a client, and fails fast when the seed is not there: Akka answers a question to an
/// unreachable node only when the question times out, but Akka.Remote reports the failed connection at once
/// (<see cref="AssociationErrorEvent"/>), so the client can say so within a moment. Completes <c>found</c> and stops.
/// </summary>
internal sealed class SeedLookup : ReceiveActor
{
    public SeedLookup(Address seed, string name, TimeSpan timeout, TaskCompletionSource<IActorRef> found)
    {
        Receive<ActorIdentity>(identity =>
        {
            if (identity.Subject is { } subject) found.TrySetResult(subject);
            else found.TrySetException(new NodeStartException($"the node at {seed} answered, but it runs no /user/{name}: is it an ActorTasks seed?"));
            Context.Stop(Self);
        });
        Receive<AssociationErrorEvent>(e => seed.Equals(e.RemoteAddress), e =>
        {
            found.TrySetException(new NodeStartException($"could not reach the seed at {seed}: {Describe(e.Cause)}"));
            Context.Stop(Self);
        });
        Receive<ReceiveTimeout>(_ =>
        {
            found.TrySetException(new NodeStartException($"the seed at {seed} did not answer within {timeout.TotalSeconds:0.#} s"));
            Context.Stop(Self);
        });
        Context.System.EventStream.Subscribe(Self, typeof(AssociationErrorEvent));
        Context.SetReceiveTimeout(timeout);
        Context.ActorSelection(new RootActorPath(seed) / "user" / name).Tell(new Identify(name), Self);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private static string Describe(Exception? cause)
    {
        for (var c = cause; c is not null; c = c.InnerException)
        {
            if (c is System.Net.Sockets.SocketException s) return s.Message;
        }
        return cause?.Message ?? "the connection failed";
    }
}

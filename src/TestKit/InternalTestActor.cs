using System.Threading.Channels;
using ActorTasks.Actor;

namespace ActorTasks.Testing;

/// <summary>A message and the ref that sent it, as the test actor received them.</summary>
internal readonly record struct Received(object Message, IActorRef Sender);

/// <summary>Asks the test actor to watch or unwatch <see cref="Target"/>; <see cref="Done"/> completes once it has.</summary>
internal sealed record WatchCommand(IActorRef Target, bool Watch, TaskCompletionSource Done);

/// <summary>
/// The actor behind <c>TestActor</c> and every probe's <c>Ref</c>: it writes each message and its sender into a
/// channel that the test thread reads. Watching is done here because only the actor's own cell may watch.
/// </summary>
internal sealed class InternalTestActor : ReceiveActor
{
    public InternalTestActor(ChannelWriter<Received> queue)
    {
        Receive<WatchCommand>(command =>
        {
            if (command.Watch) Context.Watch(command.Target);
            else Context.Unwatch(command.Target);
            command.Done.TrySetResult();
        });
        // The channel is unbounded and never completed, so TryWrite always succeeds without waiting.
        ReceiveAny(message => queue.TryWrite(new Received(message, Sender)));
    }
}

using System.Threading.Channels;
using Akka.Actor;
using ActorTasks.Messages;

namespace ActorTasks.Node.Jobs;

/// <summary>
/// Watches one job for code outside the actor system (a console command): subscribes with the job manager and
/// hands each progress event, and the final result, to a channel the command reads. Stopping it unsubscribes.
/// </summary>
internal sealed class JobWatchBridge : ReceiveActor
{
    private readonly IActorRef _jobManager;
    private readonly string _jobId;

    public JobWatchBridge(IActorRef jobManager, string jobId, ChannelWriter<object> events)
    {
        _jobManager = jobManager;
        _jobId = jobId;
        Receive<JobProgress>(p => events.TryWrite(p));
        Receive<JobStatusReport>(s => events.TryWrite(s));
        Receive<JobFinished>(f =>
        {
            events.TryWrite(f);
            events.TryComplete();
        });
        Receive<JobUnknown>(u =>
        {
            events.TryWrite(u);
            events.TryComplete();
        });
        Receive<Terminated>(_ => events.TryComplete(new InvalidOperationException("the job manager is gone")));
    }

    protected override void PreStart()
    {
        Context.Watch(_jobManager);
        _jobManager.Tell(new WatchJob(_jobId), Self);
    }

    protected override void PostStop() => _jobManager.Tell(new UnwatchJob(_jobId), Self);
}

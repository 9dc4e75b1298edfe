using System.Threading.Channels;
using Akka.Actor;
using ActorTasks.Messages;

namespace ActorTasks.Node.Jobs;

/// <summary>The job manager a watch followed went away before the job ended.</summary>
public sealed class JobManagerLostException(string message) : Exception(message);

/// <summary>
/// Follows one job for code outside the actor system (a console command, <c>submit --wait</c>): hands each progress
/// event, and the final result, to a channel the command reads. Stopping it unsubscribes.
/// </summary>
/// <remarks>
/// Given a <see cref="SubmitJob"/>, it submits the job itself, so that it is the job's submitter: the manager then
/// tells it the outcome even when the job ends (and is forgotten) before the watch reaches the manager.
/// </remarks>
internal sealed class JobWatchBridge : ReceiveActor
{
    private readonly IActorRef _jobManager;
    private readonly SubmitJob? _submit;
    private string? _jobId;

    public JobWatchBridge(IActorRef jobManager, SubmitJob? submit, string? jobId, ChannelWriter<object> events)
    {
        _jobManager = jobManager;
        _submit = submit;
        _jobId = jobId;
        Receive<JobAccepted>(a =>
        {
            _jobId = a.JobId;
            events.TryWrite(a);
            _jobManager.Tell(new WatchJob(a.JobId), Self);
        });
        Receive<JobRejected>(r =>
        {
            events.TryWrite(r);
            events.TryComplete();
        });
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
        Receive<Terminated>(_ => events.TryComplete(new JobManagerLostException(
            "the seed's job manager is gone (the seed stopped, or it is no longer reachable)")));
    }

    protected override void PreStart()
    {
        Context.Watch(_jobManager);
        if (_submit is not null) _jobManager.Tell(_submit, Self);
        else _jobManager.Tell(new WatchJob(_jobId!), Self);
    }

    protected override void PostStop()
    {
        if (_jobId is not null) _jobManager.Tell(new UnwatchJob(_jobId), Self);
    }
}

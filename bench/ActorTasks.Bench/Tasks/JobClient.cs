using ActorTasks.Messages;
using Akka.Actor;

namespace ActorTasks.Bench.Tasks;

/// <summary>
/// Submits one job to a job manager and completes <paramref name="accepted"/> with its id and <paramref name="finished"/>
/// with its <see cref="JobFinished"/> (the manager tells the submitter).
/// </summary>
internal sealed class JobClient : ReceiveActor
{
    public JobClient(IActorRef jobManager, SubmitJob submit, TaskCompletionSource<string> accepted, TaskCompletionSource<JobFinished> finished)
    {
        Receive<JobAccepted>(a => accepted.TrySetResult(a.JobId));
        Receive<JobRejected>(r =>
        {
            var refused = new InvalidOperationException($"{r.Kind} was refused: {r.Argument}: {r.Reason}");
            accepted.TrySetException(refused);
            finished.TrySetException(refused);
            Context.Stop(Self);
        });
        Receive<JobFinished>(f =>
        {
            finished.TrySetResult(f);
            Context.Stop(Self);
        });
        jobManager.Tell(submit, Self);
    }
}

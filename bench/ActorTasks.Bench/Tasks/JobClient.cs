using ActorTasks.Actor;
using ActorTasks.Messages;

namespace ActorTasks.Bench.Tasks;

/// <summary>Submits one job to a job manager and completes a task with its <see cref="JobFinished"/> (the manager tells the submitter).</summary>
internal sealed class JobClient : ReceiveActor
{
    public JobClient(IActorRef jobManager, SubmitJob submit, TaskCompletionSource<JobFinished> finished)
    {
        Receive<JobAccepted>(_ => { });
        Receive<JobRejected>(r =>
        {
            finished.TrySetException(new InvalidOperationException($"{r.Kind} was refused: {r.Argument}: {r.Reason}"));
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

using System.Diagnostics;
using System.Threading.Channels;
using ActorTasks.Messages;
using ActorTasks.Node.Hosting;
using Akka.Actor;

namespace ActorTasks.Bench.Tasks;

/// <summary>
/// Finds the job manager of the seed at <paramref name="seed"/> (its proxy <c>/user/jobs</c>), submits
/// <paramref name="submit"/> when given, and watches the job (<paramref name="jobId"/>, or the one submitted): the
/// manager's answers, every <see cref="JobProgress"/> and the <see cref="JobFinished"/> go to <paramref name="events"/>,
/// each with the time on <paramref name="clock"/> it arrived at. The channel is completed once the job has finished.
/// </summary>
internal sealed class JobWatcher : ReceiveActor
{
    public JobWatcher(Address seed, SubmitJob? submit, string? jobId, Stopwatch clock, ChannelWriter<(TimeSpan At, object Event)> events)
    {
        Receive<ActorIdentity>(identity =>
        {
            if (identity.Subject is not { } jobs)
            {
                events.TryComplete(new InvalidOperationException($"{seed} runs no /user/{NodeHost.JobsProxyName}"));
                Context.Stop(Self);
                return;
            }
            jobs.Tell(submit is null ? new WatchJob(jobId!) : submit, Self);
        });
        Receive<JobAccepted>(accepted =>
        {
            events.TryWrite((clock.Elapsed, accepted));
            Sender.Tell(new WatchJob(accepted.JobId), Self);
        });
        Receive<JobFinished>(finished =>
        {
            events.TryWrite((clock.Elapsed, finished));
            events.TryComplete();
            Context.Stop(Self);
        });
        ReceiveAny(other => events.TryWrite((clock.Elapsed, other)));
        Context.ActorSelection(new RootActorPath(seed) / "user" / NodeHost.JobsProxyName).Tell(new Identify(null), Self);
    }
}

using Akka.Actor;
using Akka.Event;
using ActorTasks.Messages;

namespace ActorTasks.Node.Hosting;

/// <summary>
/// Logs at DEBUG, with a count per job, the messages that may arrive after their receiver has gone as a matter of
/// course (results in flight when a job is cancelled, progress for a watcher that left): Akka does not log them as
/// dead letters, since they are <see cref="IDeadLetterSuppression"/>, and they are no warning.
/// </summary>
internal sealed class ExpectedDeadLetters : ReceiveActor
{
    private readonly Dictionary<string, long> _dropped = new(StringComparer.Ordinal);

    public ExpectedDeadLetters()
    {
        var log = Context.GetLogger();
        Receive<SuppressedDeadLetter>(d =>
        {
            var jobId = d.Message switch
            {
                TaskResults r => r.JobId,
                JobProgress p => p.JobId,
                JobFinished f => f.JobId,
                _ => null,
            };
            if (jobId is null)
            {
                // Akka's own suppressed messages (a remote connection's Disassociated, say): nothing of a job.
                log.Debug("{0} reached {1}, which had stopped; dropped", d.Message.GetType().Name, d.Recipient.Path);
                return;
            }
            var count = _dropped[jobId] = _dropped.GetValueOrDefault(jobId) + 1;
            log.Debug("{0} of job {1} reached {2}, which had stopped (the job ended, or its watcher left); dropped ({3} for this job so far)",
                d.Message.GetType().Name, jobId, d.Recipient.Path, count);
        });
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(SuppressedDeadLetter));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}

namespace ActorTasks.Tasks.JobKinds;

/// <summary>
/// Thrown by <see cref="IPreparedJob.ProcessAsync"/> for a failure that another attempt would not change (a web server
/// answering 404, a file over a size limit): the task is recorded as failed at once, without the job's retries.
/// </summary>
/// <remarks>Any other exception is retried with backoff up to the job's retry limit. Derive to give the failure a type of its own.</remarks>
public class PermanentTaskFailureException : Exception
{
    /// <summary>A permanent failure described by <paramref name="message"/>.</summary>
    public PermanentTaskFailureException(string message) : base(message)
    {
    }

    /// <summary>A permanent failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public PermanentTaskFailureException(string message, Exception? inner) : base(message, inner)
    {
    }
}

namespace ActorTasks.Tasks.JobKinds;

/// <summary>
/// Thrown by a task whose input is bad (a file that is not an image, a truncated one): running it again cannot help, so
/// the task is recorded as failed at once, with error type <see cref="ErrorType"/> and this message, and is not retried.
/// </summary>
public class TaskInputException : PermanentTaskFailureException
{
    /// <summary>The error type of a task that failed this way.</summary>
    public const string ErrorType = "ActorTasks.BadInput";

    /// <summary>A bad input; <paramref name="message"/> names it and says what is wrong with it.</summary>
    public TaskInputException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }
}

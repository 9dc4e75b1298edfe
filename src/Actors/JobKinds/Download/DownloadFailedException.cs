namespace ActorTasks.Tasks.JobKinds.Download;

/// <summary>A download that failed for good: a 4xx answer, a size over <c>--max-bytes</c>, a redirect to another scheme, or every retry spent.</summary>
public sealed class DownloadFailedException(string message) : PermanentTaskFailureException(message);

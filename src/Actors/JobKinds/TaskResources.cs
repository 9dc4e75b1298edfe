namespace ActorTasks.Tasks.JobKinds;

/// <summary>
/// Implemented by a prepared job whose tasks need resources that depend on the task itself, e.g. a permit of the web
/// host a URL names. The consumer asks before each task and holds what it names (besides
/// <see cref="IPreparedJob.ResourcesPerTask"/>) while the task runs.
/// </summary>
public interface ITaskResources
{
    /// <summary>The resources task <paramref name="task"/> needs while it runs; empty when none. Called on the node that runs it.</summary>
    IReadOnlyList<TaskResource> ResourcesFor(ReadOnlyMemory<byte> task);
}

/// <summary>
/// <paramref name="Permits"/> permits of resource <paramref name="Name"/>, held while one task runs.
/// </summary>
/// <param name="Name">The resource, e.g. <c>http:example.org</c>.</param>
/// <param name="Permits">Permits the task holds, at least 1.</param>
/// <param name="CreatePermits">
/// When no resource has this name yet, the resource manager creates it with this many permits (and forgets it once it is
/// unused); 0: it must be defined already (<c>actortasks.tasks.resources</c>). A resource that exists keeps its permits.
/// </param>
/// <param name="Wait">
/// How long the task may wait for the permits before its attempt fails with <c>ActorTasks.ResourceUnavailable</c>: null
/// for <c>actortasks.tasks.resource-acquire-timeout</c>, <see cref="Timeout.InfiniteTimeSpan"/> to wait its turn however
/// long it takes (the permits are then limited by holders that finish, not by time).
/// </param>
public sealed record TaskResource(string Name, int Permits, int CreatePermits = 0, TimeSpan? Wait = null);

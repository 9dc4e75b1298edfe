using Akka.Actor;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.Consumers;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Jobs;
using ActorTasks.Tasks.Resources;

namespace ActorTasks.Tasks;

/// <summary>The task system's top-level actors on one node.</summary>
public sealed record TaskSystemActors(IActorRef JobManager, IActorRef ResourceManager, IActorRef Consumers);

/// <summary>Starts the task system's actors in one actor system.</summary>
public static class TaskSystem
{
    /// <summary>
    /// Starts a resource manager (<c>/user/resources</c>), a job manager (<c>/user/jobs</c>) and a consumer pool
    /// (<c>/user/consumers</c>) in <paramref name="system"/>: everything a single node needs to run jobs. With
    /// <see cref="TaskSystemSettings.Durable"/>, the job manager journals its jobs through the system's Akka.Persistence plugins.
    /// </summary>
    public static TaskSystemActors StartLocal(ActorSystem system, JobKindRegistry registry, TaskSystemSettings settings)
    {
        ArgumentNullException.ThrowIfNull(system);
        settings.Validate();
        var resources = system.ActorOf(ResourceManager.Props(settings), "resources");
        var jobs = system.ActorOf(JobManager.Props(registry, settings), "jobs");
        var consumers = system.ActorOf(ConsumerPool.Props(jobs, resources, registry, settings), "consumers");
        return new TaskSystemActors(jobs, resources, consumers);
    }
}

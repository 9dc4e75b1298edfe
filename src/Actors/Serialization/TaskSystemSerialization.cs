using ActorTasks.Remote.Serialization;
using J = ActorTasks.Tasks.Serialization.TaskSystemJsonContext;

namespace ActorTasks.Tasks.Serialization;

/// <summary>Registers every message of the task system with the remote serializer, each under a stable <c>tasks.*</c> manifest.</summary>
public static class TaskSystemSerialization
{
    /// <summary>Adds the task system's messages to <paramref name="registry"/> (before it is frozen); returns the registry.</summary>
    public static SerializerRegistry Register(SerializerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var json = J.Default;

        // Job protocol.
        registry.RegisterJson("tasks.submit-job", json.SubmitJob);
        registry.RegisterJson("tasks.job-accepted", json.JobAccepted);
        registry.RegisterJson("tasks.job-rejected", json.JobRejected);
        registry.RegisterJson("tasks.get-job-status", json.GetJobStatus);
        registry.RegisterJson("tasks.job-status", json.JobStatusReport);
        registry.RegisterJson("tasks.list-jobs", json.ListJobs);
        registry.RegisterJson("tasks.job-list", json.JobList);
        registry.RegisterJson("tasks.cancel-job", json.CancelJob);
        registry.RegisterJson("tasks.job-cancelling", json.JobCancelling);
        registry.RegisterJson("tasks.job-already-finished", json.JobAlreadyFinished);
        registry.RegisterJson("tasks.job-unknown", json.JobUnknown);
        registry.RegisterJson("tasks.job-finished", json.JobFinished);
        registry.RegisterJson("tasks.get-job-results", json.GetJobResults);

        // Work protocol: the two hot messages have a compact binary form.
        registry.RegisterJson("tasks.register-consumer", json.RegisterConsumer);
        registry.RegisterJson("tasks.consumer-registered", json.ConsumerRegistered);
        registry.RegisterJson("tasks.job-started", json.JobStarted);
        registry.RegisterJson("tasks.job-ended", json.JobEnded);
        registry.RegisterJson("tasks.request-work", json.RequestWork);
        registry.Register<Messages.WorkAssigned>("tasks.work-assigned", WorkSerializer.Instance);
        registry.Register<Messages.TaskResults>("tasks.task-results", WorkSerializer.Instance);
        registry.RegisterJson("tasks.return-work", json.ReturnWork);
        registry.RegisterJson("tasks.work-returned", json.WorkReturned);
        registry.RegisterJson("tasks.get-consumers", json.GetConsumers);
        registry.RegisterJson("tasks.pool-consumers", json.PoolConsumers);

        // Progress protocol.
        registry.RegisterJson("tasks.watch-job", json.WatchJob);
        registry.RegisterJson("tasks.unwatch-job", json.UnwatchJob);
        registry.RegisterJson("tasks.job-progress", json.JobProgress);

        // Resource protocol.
        registry.RegisterJson("tasks.define-resource", json.DefineResource);
        registry.RegisterJson("tasks.resource-defined", json.ResourceDefined);
        registry.RegisterJson("tasks.acquire", json.Acquire);
        registry.RegisterJson("tasks.granted", json.Granted);
        registry.RegisterJson("tasks.acquire-timed-out", json.AcquireTimedOut);
        registry.RegisterJson("tasks.acquire-rejected", json.AcquireRejected);
        registry.RegisterJson("tasks.release", json.Release);
        registry.RegisterJson("tasks.get-resources", json.GetResources);
        registry.RegisterJson("tasks.resources-report", json.ResourcesReport);
        return registry;
    }
}

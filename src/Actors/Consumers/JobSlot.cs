using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.JobKinds;

namespace ActorTasks.Tasks.Consumers;

/// <summary>What a consumer holds of one job: its prepared job, queued tasks, cancellation and measured task time.</summary>
internal sealed class JobSlot(string jobId, IActorRef producer, IPreparedJob job, TaskResource[] resources)
{
    public string JobId { get; } = jobId;

    public IActorRef Producer { get; } = producer;

    public IPreparedJob Job { get; } = job;

    /// <summary>The job's kind, as its tasks' metrics name it.</summary>
    public string Kind { get; init; } = "";

    /// <summary>Permits every task needs (the kind's <see cref="IPreparedJob.ResourcesPerTask"/>), by resource name in ordinal order.</summary>
    public TaskResource[] Resources { get; } = resources;

    /// <summary>True when tasks acquire resources before they run: fixed ones, or ones that depend on the task.</summary>
    public bool HasResources => Resources.Length > 0 || Job is ITaskResources;

    /// <summary>
    /// The resources one task needs: the fixed ones and those the job names for this task, merged by name and in
    /// ordinal name order — one order for every consumer and task, so two consumers never wait on each other in a cycle.
    /// </summary>
    public TaskResource[] ResourcesFor(WorkItem item)
    {
        if (Job is not ITaskResources perTask) return Resources;
        var needs = perTask.ResourcesFor(item.Payload);
        if (needs.Count == 0) return Resources;
        foreach (var need in needs)
        {
            if (string.IsNullOrWhiteSpace(need.Name) || need.Permits < 1)
                throw new InvalidOperationException($"the job kind asks for {need.Permits} permits of resource '{need.Name}'; a resource needs a name and at least 1 permit");
        }
        return [.. Resources.Concat(needs)
            .GroupBy(r => r.Name, StringComparer.Ordinal)
            .Select(g => g.Skip(1).Any()
                ? new TaskResource(g.Key, g.Sum(r => r.Permits), g.Max(r => r.CreatePermits), g.Select(r => r.Wait).FirstOrDefault(w => w is not null))
                : g.First())
            .OrderBy(r => r.Name, StringComparer.Ordinal)];
    }

    public CancellationTokenSource Cancel { get; } = new();

    public WorkQueue Queue { get; } = new();

    /// <summary>Tasks of this job running now (or waiting for their resources).</summary>
    public int Running { get; set; }

    /// <summary>Mean seconds per task, smoothed; null until a task has run.</summary>
    public double? SecondsPerTask { get; private set; }

    public bool Dropped { get; set; }

    /// <summary>
    /// How many tasks to hold: enough for <see cref="TaskSystemSettings.PrefetchTime"/> of work by the measured task
    /// time, between 1 and the prefetch. One until a task has run, so slow jobs spread over every consumer from the start.
    /// </summary>
    public int Window(TaskSystemSettings settings)
    {
        if (SecondsPerTask is not { } seconds) return 1;
        if (seconds <= 0) return settings.Prefetch;
        var wanted = Math.Ceiling(settings.PrefetchTime.TotalSeconds / seconds);
        return (int)Math.Clamp(wanted, 1, settings.Prefetch);
    }

    /// <summary>How many queued tasks to run in one go: half the window, so the next half arrives while they run.</summary>
    public int ChunkSize(TaskSystemSettings settings) => HasResources ? 1 : Math.Max(1, Window(settings) / 2);

    public void RecordTaskTime(TimeSpan elapsed, int tasks)
    {
        if (tasks <= 0) return;
        var sample = elapsed.TotalSeconds / tasks;
        SecondsPerTask = SecondsPerTask is { } previous ? previous * 0.5 + sample * 0.5 : sample;
    }
}

using Akka.Actor;
using Akka.Configuration;
using ActorTasks.Messages;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.JobKinds;

namespace ActorTasks.Tasks.Tests.Support;

/// <summary>Configuration, settings and helpers shared by the tests that run actors.</summary>
public static class TaskSystemFixture
{
    /// <summary>
    /// The configuration of every actor system in these tests: the task system's reference configuration (its
    /// serializer bound to every <see cref="ITaskSystemMessage"/>), with every message an actor sends serialized and
    /// read back even within one system, so a message the serializer does not cover fails the test that sends it.
    /// </summary>
    /// <param name="logLevel">Akka's log level; DEBUG for tests that expect a debug event with an <c>EventFilter</c>.</param>
    public static Config Config(string logLevel = "INFO") =>
        ConfigurationFactory.ParseString($"""
            akka.actor.serialize-messages = on
            akka.loglevel = {logLevel}
            akka.stdout-loglevel = WARNING
            """).WithFallback(TaskSystemConfig.Reference);

    /// <summary>Fast settings for tests: quick retries and progress, three consumers.</summary>
    public static TaskSystemSettings Settings(int consumers = 3, int prefetch = 8) => new TaskSystemSettings
    {
        ConsumersPerNode = consumers,
        Prefetch = prefetch,
        RetryBackoffMin = TimeSpan.FromMilliseconds(10),
        RetryBackoffMax = TimeSpan.FromMilliseconds(40),
        ProgressInterval = TimeSpan.FromMilliseconds(50),
    }.Validate();

    public static TaskSystemActors Start(ActorSystem system, TaskSystemSettings settings, params IJobKind[] kinds) =>
        TaskSystem.StartLocal(system, Registry(kinds), settings);

    /// <summary>
    /// Starts the task system's actors under names ending in <paramref name="suffix"/>, so that a test can stop one set
    /// (<see cref="StopAsync"/>) and start another in the same actor system, as a seed restarted on its journal would.
    /// </summary>
    public static TaskSystemActors StartNamed(ActorSystem system, TaskSystemSettings settings, string suffix, params IJobKind[] kinds)
    {
        var registry = Registry(kinds);
        var resources = system.ActorOf(ActorTasks.Tasks.Resources.ResourceManager.Props(settings), $"resources-{suffix}");
        var jobs = system.ActorOf(ActorTasks.Tasks.Jobs.JobManager.Props(registry, settings), $"jobs-{suffix}");
        var consumers = system.ActorOf(ActorTasks.Tasks.Consumers.ConsumerPool.Props(jobs, resources, registry, settings), $"consumers-{suffix}");
        return new TaskSystemActors(jobs, resources, consumers);
    }

    /// <summary>Stops the task system's actors, consumers first, and waits until they have stopped.</summary>
    public static async Task StopAsync(TaskSystemActors actors)
    {
        var timeout = TimeSpan.FromSeconds(20);
        await actors.Consumers.GracefulStop(timeout);
        await actors.JobManager.GracefulStop(timeout, ActorTasks.Tasks.Jobs.StopWhenJournaled.Instance);
        await actors.ResourceManager.GracefulStop(timeout);
    }

    private static JobKindRegistry Registry(IJobKind[] kinds)
    {
        var registry = new JobKindRegistry();
        foreach (var kind in kinds) registry.Register(kind);
        return registry;
    }

    /// <summary><see cref="Settings"/> with a journal (the actor system's Akka.Persistence plugins).</summary>
    public static TaskSystemSettings Durable(int consumers = 1, int prefetch = 4, int snapshotEvery = 200) =>
        Settings(consumers, prefetch) with { Durable = true, SnapshotEvery = snapshotEvery };

    public static SubmitJob Submit(string kind, long count, bool failFast = false, int? maxRetries = null) =>
        new(kind, [count.ToString()], new JobOptions(failFast, maxRetries));

    public static long Sum(JobFinished finished) => long.Parse(finished.Summary.Single(kv => kv.Key == "sum").Value);
}

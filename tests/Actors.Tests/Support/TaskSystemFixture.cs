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
        Start(system, settings, null, kinds);

    public static TaskSystemActors Start(ActorSystem system, TaskSystemSettings settings, ActorTasks.Tasks.Jobs.JobJournal? journal, params IJobKind[] kinds)
    {
        var registry = new JobKindRegistry();
        foreach (var kind in kinds) registry.Register(kind);
        return TaskSystem.StartLocal(system, registry, settings, journal);
    }

    public static SubmitJob Submit(string kind, long count, bool failFast = false, int? maxRetries = null) =>
        new(kind, [count.ToString()], new JobOptions(failFast, maxRetries));

    public static long Sum(JobFinished finished) => long.Parse(finished.Summary.Single(kv => kv.Key == "sum").Value);
}

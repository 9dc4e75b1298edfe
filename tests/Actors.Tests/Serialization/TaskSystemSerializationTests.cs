using System.Runtime.Serialization;
using System.Text;
using ActorTasks.Messages;
using ActorTasks.Messages.Serialization;
using ActorTasks.Tasks.Tests.Support;
using Akka.Actor;
using Akka.Serialization;
using Akka.TestKit;
using Akka.TestKit.TestActors;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tasks.Tests.Serialization;

/// <summary>
/// The task system's messages through Akka's serialization, as Akka.Remote uses it: the serializer Akka finds for a
/// message, its manifest, its bytes, and the message read back from them.
/// </summary>
public sealed class TaskSystemSerializationTests : TestKit
{
    private static readonly DateTimeOffset When = new(2026, 11, 23, 9, 30, 0, TimeSpan.FromHours(1));
    private readonly TestProbe _consumerProbe;
    private readonly IActorRef _consumer;
    private readonly IActorRef _producer;

    public TaskSystemSerializationTests(ITestOutputHelper output)
        : base(TaskSystemFixture.Config(), output: output)
    {
        _consumerProbe = CreateTestProbe("consumer-2");
        _consumer = _consumerProbe.Ref;
        _producer = Sys.ActorOf(Props.Create<BlackHoleActor>(), "producer-4");
    }

    /// <summary>
    /// One instance of every message, with every field set (and the optional ones both set and not), by name; the refs
    /// are real actors of the system under test, since Akka resolves a ref it reads back through its provider.
    /// </summary>
    private static Dictionary<string, object> Messages(IActorRef consumer, IActorRef producer) => new()
    {
        { "submit", new SubmitJob("grep", ["fo+", "/var/log", "--ignore-case"], new JobOptions(FailFast: true, MaxRetries: 5)) },
        { "submit-default", new SubmitJob("primes", [], JobOptions.Default) },
        { "accepted", new JobAccepted("12", "grep") },
        { "rejected", new JobRejected("grep", "PATTERN", "PATTERN: unterminated [] set") },
        { "rejected-no-argument", new JobRejected("grep", null, "grep could not prepare the job") },
        { "get-status", new GetJobStatus("12") },
        { "status", new JobStatusReport("12", "grep", ["x", "y"], JobState.Running, 10, 2, null, When, null) },
        { "status-finished", new JobStatusReport("12", "grep", [], JobState.Cancelled, 10, 2, 40, When, When.AddMinutes(3)) },
        { "list", ListJobs.Instance },
        { "job-list", new JobList([new JobStatusReport("1", "wordcount", ["a"], JobState.Completed, 3, 0, 3, When, When)]) },
        { "cancel", new CancelJob("12") },
        { "cancelling", new JobCancelling("12") },
        { "already-finished", new JobAlreadyFinished("12", JobState.Failed) },
        { "unknown", new JobUnknown("99") },
        { "finished", new JobFinished("12", JobState.Completed, [new("matches", "3"), new("files", "2")], ["a.log:1:foo", "b.log:7:fooo"],
            40, 1, 41, [new TaskFailure(7, 4, "System.IO.IOException", "permission denied: b.log")], null, TimeSpan.FromSeconds(2.5)) },
        { "finished-cancelled", new JobFinished("13", JobState.Cancelled, [], [], 2, 0, null, [], "cancelled by request", TimeSpan.FromMilliseconds(12)) },
        { "finished-paged", new JobFinished("14", JobState.CompletedWithFailures, [new("matches", "900000")], ["a.log:1:foo"],
            9, 1, 10, [new TaskFailure(3, 4, "ActorTasks.ResultTooLarge", "too big")], "1 of 10 tasks failed", TimeSpan.FromSeconds(1), LinesTotal: 900_000) },
        { "get-results", new GetJobResults("12") },
        { "get-lines", new GetJobLines("12", 4096, 10_000) },
        { "lines", new JobLines("12", 4096, ["a.log:4097:foo", "b.log:1:ünïcode \u001b[31m"], 900_000) },
        { "lines-empty", new JobLines("12", 900_000, [], 900_000) },
        { "register", new RegisterConsumer(consumer) },
        { "registered", new ConsumerRegistered(consumer) },
        { "registered-nobody", new ConsumerRegistered(ActorRefs.Nobody) },
        { "started", new JobStarted("12", "grep", ["fo+", "/var/log"], producer) },
        { "ended", new JobEnded("12", JobState.Cancelled) },
        { "declined", new JobDeclined("12", "akka.tcp://worker@10.0.0.2:4053", "the job kind 'grep' is not loaded there") },
        { "request-work", new RequestWork("12", 64) },
        { "work-assigned", new WorkAssigned("12", [new WorkItem(0, [1, 2, 3], 1), new WorkItem(long.MaxValue, [], 7), new WorkItem(300, new byte[1000], 2)]) },
        { "work-assigned-empty", new WorkAssigned("12", []) },
        { "results", new TaskResults("12", [new TaskSucceeded(4, 1, [9, 9]), new TaskSucceeded(1L << 40, 3, [])],
            [new TaskFailed(5, 2, "System.FormatException", "line 3: 'x' is not a number — ünïcode"), new TaskFailed(6, 1, "Download", "HTTP 404", Permanent: true)], new() { ["files"] = 3, ["matches"] = -2, [""] = long.MinValue }, 32) },
        { "results-no-counters", new TaskResults("12", [], [], null, 0) },
        { "return-work", new ReturnWork("12", 3) },
        { "work-returned", new WorkReturned("12", [7, 1L << 40]) },
        { "work-returned-none", new WorkReturned("12", []) },
        { "get-consumers", GetConsumers.Instance },
        { "pool-consumers", new PoolConsumers([consumer, producer]) },
        { "watch", new WatchJob("12") },
        { "unwatch", new UnwatchJob("12") },
        { "progress", new JobProgress("12", 30, 1, 100, 1234.5, TimeSpan.FromSeconds(56), TimeSpan.FromSeconds(3),
            new Dictionary<string, long> { ["akka.tcp://worker@10.0.0.2:4053"] = 30 }, new Dictionary<string, long> { ["files"] = 12 }) },
        { "progress-unknown-total", new JobProgress("12", 0, 0, null, 0, null, TimeSpan.Zero, new Dictionary<string, long>(), new Dictionary<string, long>()) },
        { "define", new DefineResource("disk", 2) },
        { "defined", new ResourceDefined("disk", 2) },
        { "not-defined", new ResourceNotDefined("", 0, "a resource needs a name and at least 1 permit, but got name '' and 0 permits") },
        { "acquire", new Acquire("disk", 2, TimeSpan.FromSeconds(30), 41) },
        { "acquire-forever", new Acquire("disk", 1, Timeout.InfiniteTimeSpan, 42) },
        { "acquire-or-create", new Acquire("http:example.org", 1, Timeout.InfiniteTimeSpan, 43, CreatePermits: 4) },
        { "cancel-acquire", new CancelAcquire(43) },
        { "granted", new Granted(41, 9, "disk", 2) },
        { "timed-out", new AcquireTimedOut(41, "disk", 2, TimeSpan.FromSeconds(30)) },
        { "acquire-rejected", new AcquireRejected(41, "gpu", "no resource is named 'gpu'") },
        { "release", new Release(9) },
        { "register-pool", new RegisterConsumerPool(producer, 4) },
        { "pool-registered", new ConsumerPoolRegistered(12) },
        { "get-resources", GetResources.Instance },
        { "resources", new ResourcesReport([new ResourceStatus("disk", 2, 0,
            [new ResourceLease(9, consumer.Path.ToString(), 2, When)], [new ResourceWaiter(43, producer.Path.ToString(), 1, When.AddSeconds(1))])]) },
        { "get-members", GetMembers.Instance },
        { "members", new MembersReport("akka.tcp://tasks@127.0.0.1:4053", [new ClusterMember("akka.tcp://tasks@127.0.0.1:4053", ["seed"], "Up", true, When),
            new ClusterMember("akka.tcp://tasks@127.0.0.1:4054", ["worker", "x"], "Leaving", false, null)], "akka.tcp://tasks@127.0.0.1:4053") },
        { "members-no-leader", new MembersReport("akka.tcp://tasks@127.0.0.1:4053", [], null) },
    };

    /// <summary>The name of every message instance above.</summary>
    public static TheoryData<string> MessageNames() => [.. Messages(ActorRefs.Nobody, ActorRefs.Nobody).Keys];

    /// <summary>A serializer of this system, as Akka's serialization extension creates it.</summary>
    private TaskSystemSerializer Serializer => new((ExtendedActorSystem)Sys);

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Every_message_arrives_equal_to_what_was_sent(string name)
    {
        var message = Messages(_consumer, _producer)[name];

        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<TaskSystemSerializer>(serializer);
        Assert.Equal(110, serializer.Identifier);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        Assert.StartsWith("tasks.", manifest);
        var bytes = serializer.ToBinary(message);
        // Read back as Akka.Remote does: by the serializer id and manifest in the envelope.
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.IsType(message.GetType(), back);
        DeepEqual.Check(message, back);
    }

    [Fact]
    public void A_ref_read_back_in_the_same_system_is_the_ref_that_was_sent()
    {
        var back = (PoolConsumers)Sys.Serialization.Deserialize(Serializer.ToBinary(new PoolConsumers([_consumer, _producer])),
            TaskSystemSerializer.SerializerId, "tasks.pool-consumers");

        Assert.Equal([_consumer, _producer], back.Consumers);
        Assert.Equal(_producer.Path.ToStringWithUid(), back.Consumers[1].Path.ToStringWithUid());
        // The ref that was read back reaches the actor.
        back.Consumers[0].Tell(new JobUnknown("1"), TestActor);
        _consumerProbe.ExpectMsg(new JobUnknown("1"));
    }

    [Fact]
    public void Every_message_type_has_a_tasks_manifest_and_never_falls_back_to_Akkas_JSON_serializer()
    {
        // Records that are parts of messages, not messages of their own.
        var parts = new[] { typeof(JobOptions), typeof(TaskFailure), typeof(ResourceStatus), typeof(ResourceLease), typeof(ResourceWaiter), typeof(ClusterMember) };
        var assembly = typeof(ITaskSystemMessage).Assembly;
        var messageTypes = assembly.GetTypes()
            .Where(t => typeof(ITaskSystemMessage).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .ToList();
        // A public class of the messages' namespace that is not a part but lacks the marker would fall back to JSON
        // (a static class, such as DisplayText, holds helpers and is never sent).
        var unmarked = assembly.GetExportedTypes()
            .Where(t => t.Namespace == "ActorTasks.Messages" && t.IsClass && !(t.IsAbstract && t.IsSealed) && !parts.Contains(t) && !messageTypes.Contains(t));
        Assert.Empty(unmarked);

        Assert.Equal(messageTypes.OrderBy(t => t.Name), Serializer.Manifests.Keys.OrderBy(t => t.Name));
        foreach (var type in messageTypes)
        {
            Assert.True(Serializer.Manifests.ContainsKey(type), $"{type.Name} has no manifest");
            var serializer = Sys.Serialization.FindSerializerForType(type);
            Assert.False(serializer is NewtonSoftJsonSerializer, $"{type.Name} falls back to Akka's JSON serializer");
            Assert.IsType<TaskSystemSerializer>(serializer);
            Assert.True(type.IsSealed, $"{type.Name} is not sealed");
        }
        Assert.Equal(messageTypes.Count, Messages(ActorRefs.Nobody, ActorRefs.Nobody).Values.Select(m => m.GetType()).Distinct().Count());
    }

    [Fact]
    public void Manifests_are_unique_and_all_start_with_tasks()
    {
        var manifests = Serializer.Manifests.Values.ToList();
        Assert.Equal(manifests.Count, manifests.Distinct(StringComparer.Ordinal).Count());
        Assert.All(manifests, m => Assert.StartsWith("tasks.", m));
    }

    [Fact]
    public void Manifests_stay_as_published()
    {
        Assert.Equal("tasks.submit-job", Serializer.Manifests[typeof(SubmitJob)]);
        Assert.Equal("tasks.work-assigned", Serializer.Manifests[typeof(WorkAssigned)]);
        Assert.Equal("tasks.task-results", Serializer.Manifests[typeof(TaskResults)]);
        Assert.Equal("tasks.job-progress", Serializer.Manifests[typeof(JobProgress)]);
        Assert.Equal("tasks.acquire", Serializer.Manifests[typeof(Acquire)]);
        Assert.Equal("tasks.resource-not-defined", Serializer.Manifests[typeof(ResourceNotDefined)]);
    }

    [Fact]
    public void A_batch_of_small_tasks_costs_a_few_bytes_per_task_on_the_wire()
    {
        var batch = new WorkAssigned("12", [.. Enumerable.Range(0, 256).Select(i => new WorkItem(100_000 + i, new byte[8], 1))]);
        var results = new TaskResults("12", [.. Enumerable.Range(0, 256).Select(i => new TaskSucceeded(100_000 + i, 1, new byte[8]))], [], null, 256);

        Assert.InRange(Serializer.ToBinary(batch).Length, 256 * 8, 256 * 14 + 300);
        Assert.InRange(Serializer.ToBinary(results).Length, 256 * 8, 256 * 14 + 300);
    }

    [Fact]
    public void Reading_a_batch_allocates_its_tasks_and_nothing_per_field()
    {
        var batch = new WorkAssigned("12", [.. Enumerable.Range(0, 256).Select(i => new WorkItem(100_000 + i, new byte[8], 1))]);
        var serializer = Serializer;
        var bytes = serializer.ToBinary(batch);
        var manifest = serializer.Manifest(batch);
        serializer.FromBinary(bytes, manifest);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = (WorkAssigned)serializer.FromBinary(bytes, manifest);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(256, read.Tasks.Length);
        // The tasks (a WorkItem and an 8-byte payload each) and their array take about 56 bytes a task; the names of
        // fields, once built for every field read whether or not an error named it, took more than 200 more.
        Assert.InRange(allocated, 256 * 40, 256 * 80);
    }

    [Theory]
    [InlineData("tasks.work-assigned", new byte[] { 1, 1, (byte)'j', 200, 1 }, "task count")]         // 200 tasks in 0 bytes
    [InlineData("tasks.work-assigned", new byte[] { 1, 1, (byte)'j', 1, 0, 1, 50, 1 }, "task 0 payload")] // 50-byte payload, 1 byte left
    [InlineData("tasks.work-assigned", new byte[] { 1, 1, (byte)'j', 1, 0, 1, 0x80 }, "task 0 payload length: the message ends at byte 7")]
    [InlineData("tasks.work-assigned", new byte[] { 1, 1, (byte)'j', 0, 7 }, "left over")]
    [InlineData("tasks.work-assigned", new byte[] { 2, 1, (byte)'j', 0 }, "message tag 2")]
    [InlineData("tasks.work-assigned", new byte[] { 1, 5, (byte)'j' }, "job id")]
    [InlineData("tasks.task-results", new byte[] { 2, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1 }, "window")]
    [InlineData("tasks.task-results", new byte[] { 2, 1, 0xFF, 0, 0, 0, 0 }, "job id: not valid UTF-8")]
    [InlineData("tasks.task-results", new byte[] { 2, 0, 1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 1, 0, 0, 0 }, "result 0 index: 18446744073709551615 is out of range")] // index -1
    [InlineData("tasks.task-results", new byte[] { 2, 0, 1, 0, 0, 3, 1, (byte)'a', 0, 1, (byte)'a', 0 }, "counter 'a' appears twice")]
    [InlineData("tasks.task-results", new byte[] { 2, 0, 0, 0, 1, 5, 1, 0, 0, 7, 0 }, "failure 0 permanent: 7 is not 0 or 1")]
    public void A_malformed_work_message_is_refused_with_the_manifest_and_the_field_named(string manifest, byte[] payload, string expected)
    {
        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary(payload, manifest));

        Assert.StartsWith($"{manifest}: ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.IsType<FormatException>(error.InnerException);
    }

    public static TheoryData<string, byte[]> GarbageBytes()
    {
        var data = new TheoryData<string, byte[]>();
        var random = new Random(42);
        var noise = new byte[64];
        random.NextBytes(noise);
        foreach (var manifest in new[] { "tasks.submit-job", "tasks.job-finished", "tasks.register-consumer", "tasks.job-progress", "tasks.work-assigned", "tasks.task-results" })
        {
            data.Add(manifest, noise);
            data.Add(manifest, []);
            data.Add(manifest, Encoding.UTF8.GetBytes("not json at all"));
            data.Add(manifest, Encoding.UTF8.GetBytes("[1, 2, 3]"));
            data.Add(manifest, Encoding.UTF8.GetBytes("null"));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(GarbageBytes))]
    public void Garbage_bytes_are_refused_with_a_SerializationException_naming_the_manifest(string manifest, byte[] bytes)
    {
        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, manifest));
        Assert.Contains(manifest, error.Message);
    }

    [Theory]
    [InlineData("work-assigned")]
    [InlineData("results")]
    public void A_truncated_work_message_is_refused_at_every_length_naming_the_manifest(string name)
    {
        var message = Messages(_consumer, _producer)[name];
        var manifest = Serializer.Manifest(message);
        var bytes = Serializer.ToBinary(message);

        for (var length = 0; length < bytes.Length; length++)
        {
            var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes[..length], manifest));
            Assert.StartsWith($"{manifest}: ", error.Message);
        }
    }

    [Fact]
    public void An_unknown_manifest_is_refused_naming_it()
    {
        var bytes = Serializer.ToBinary(new JobUnknown("1"));

        var error = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, "tasks.job-vanished"));
        Assert.Contains("'tasks.job-vanished'", error.Message);
        error = Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize(bytes, TaskSystemSerializer.SerializerId, "System.String"));
        Assert.Contains("'System.String'", error.Message);
    }

    [Fact]
    public void A_failure_message_with_a_lone_surrogate_is_sent_with_a_replacement_character()
    {
        // An exception message may hold any UTF-16, and a task's error travels in TaskResults and then in JobFinished.
        var results = new TaskResults("12", [], [new TaskFailed(3, 1, "System.Exception", "bad \ud800 text")], null, 1);
        var finished = new JobFinished("12", JobState.Completed, [], [], 0, 1, 1,
            [new TaskFailure(3, 4, "System.Exception", "bad \ud800 text")], "reason \udc00", TimeSpan.Zero);

        var resultsBack = (TaskResults)Serializer.FromBinary(Serializer.ToBinary(results), "tasks.task-results");
        var finishedBack = (JobFinished)Serializer.FromBinary(Serializer.ToBinary(finished), "tasks.job-finished");

        Assert.Equal("bad \ufffd text", Assert.Single(resultsBack.Failed).Message);
        Assert.Equal("bad \ufffd text", Assert.Single(finishedBack.Failures).Message);
        Assert.Equal("reason \ufffd", finishedBack.Reason);
    }

    [Fact]
    public void Damaged_work_messages_are_refused_with_a_SerializationException_and_nothing_else()
    {
        var messages = new object[]
        {
            new TaskResults("12", [new TaskSucceeded(4, 1, [9, 9, 9])], [new TaskFailed(5, 2, "E", "m")], new() { ["files"] = 3 }, 8),
            new WorkAssigned("12", [new WorkItem(1, [1, 2], 1), new WorkItem(300, [3], 2)]),
        };
        var random = new Random(1234);
        var refused = 0;
        foreach (var message in messages)
        {
            var manifest = Serializer.Manifest(message);
            var written = Serializer.ToBinary(message);
            for (var round = 0; round < 3_000; round++)
            {
                var bytes = written.ToArray();
                if (random.Next(4) == 0) bytes = bytes[..random.Next(bytes.Length)];
                for (var flips = random.Next(1, 4); flips > 0 && bytes.Length > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                try
                {
                    Assert.IsType(message.GetType(), Serializer.FromBinary(bytes, manifest));
                }
                catch (SerializationException e)
                {
                    Assert.StartsWith($"{manifest}: ", e.Message);
                    refused++;
                }
            }
        }
        Assert.True(refused > 1_000, $"only {refused} of 6000 damaged messages were refused");
    }
}

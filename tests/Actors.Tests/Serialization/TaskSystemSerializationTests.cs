using ActorTasks.Messages;
using ActorTasks.Remote.Serialization;
using ActorTasks.Tasks.Serialization;
using Xunit;

namespace ActorTasks.Tasks.Tests.Serialization;

public sealed class TaskSystemSerializationTests
{
    private static readonly PathRef Recipient = new("actortasks://seed@10.0.0.1:4053/user/jobs#17");
    private static readonly PathRef Producer = new("actortasks://seed@10.0.0.1:4053/user/jobs/producer-4#99");
    private static readonly PathRef Consumer = new("actortasks://worker@10.0.0.2:4053/user/consumers/consumer-2#5");
    private static readonly DateTimeOffset When = new(2026, 11, 23, 9, 30, 0, TimeSpan.FromHours(1));

    /// <summary>One instance of every message, with every field set (and the optional ones both set and not).</summary>
    public static TheoryData<string, object> Messages() => new()
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
        { "get-results", new GetJobResults("12") },
        { "register", new RegisterConsumer(Consumer) },
        { "registered", new ConsumerRegistered(Consumer) },
        { "started", new JobStarted("12", "grep", ["fo+", "/var/log"], Producer) },
        { "ended", new JobEnded("12", JobState.Cancelled) },
        { "request-work", new RequestWork("12", 64) },
        { "work-assigned", new WorkAssigned("12", [new WorkItem(0, [1, 2, 3], 1), new WorkItem(long.MaxValue, [], 7), new WorkItem(300, new byte[1000], 2)]) },
        { "work-assigned-empty", new WorkAssigned("12", []) },
        { "results", new TaskResults("12", [new TaskSucceeded(4, 1, [9, 9]), new TaskSucceeded(1L << 40, 3, [])],
            [new TaskFailed(5, 2, "System.FormatException", "line 3: 'x' is not a number — ünïcode")], new() { ["files"] = 3, ["matches"] = -2, [""] = long.MinValue }, 32) },
        { "results-no-counters", new TaskResults("12", [], [], null, 0) },
        { "return-work", new ReturnWork("12", 3) },
        { "work-returned", new WorkReturned("12", [7, 1L << 40]) },
        { "work-returned-none", new WorkReturned("12", []) },
        { "get-consumers", GetConsumers.Instance },
        { "pool-consumers", new PoolConsumers([Consumer, Producer]) },
        { "watch", new WatchJob("12") },
        { "unwatch", new UnwatchJob("12") },
        { "progress", new JobProgress("12", 30, 1, 100, 1234.5, TimeSpan.FromSeconds(56), TimeSpan.FromSeconds(3),
            new Dictionary<string, long> { ["actortasks://worker@10.0.0.2:4053"] = 30 }, new Dictionary<string, long> { ["files"] = 12 }) },
        { "progress-unknown-total", new JobProgress("12", 0, 0, null, 0, null, TimeSpan.Zero, new Dictionary<string, long>(), new Dictionary<string, long>()) },
        { "define", new DefineResource("disk", 2) },
        { "defined", new ResourceDefined("disk", 2) },
        { "acquire", new Acquire("disk", 2, TimeSpan.FromSeconds(30), 41) },
        { "acquire-forever", new Acquire("disk", 1, Timeout.InfiniteTimeSpan, 42) },
        { "granted", new Granted(41, 9, "disk", 2) },
        { "timed-out", new AcquireTimedOut(41, "disk", 2, TimeSpan.FromSeconds(30)) },
        { "acquire-rejected", new AcquireRejected(41, "gpu", "no resource is named 'gpu'") },
        { "release", new Release(9) },
        { "get-resources", GetResources.Instance },
        { "resources", new ResourcesReport([new ResourceStatus("disk", 2, 0,
            [new ResourceLease(9, Consumer.Path.ToString(), 2, When)], [new ResourceWaiter(43, Producer.Path.ToString(), 1, When.AddSeconds(1))])]) },
    };

    private static MessageSerializer Serializer() =>
        new(TaskSystemSerialization.Register(SerializerRegistry.CreateDefault()), new PathResolver(), maximumFrameSize: 4 * 1024 * 1024);

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_arrives_equal_to_what_was_sent(string name, object message)
    {
        var serializer = Serializer();
        var frame = serializer.Serialize(message, Recipient, Producer);

        Assert.True(serializer.TryDeserialize(frame, out var envelope, out var error), $"{name}: {error}");
        Assert.IsType(message.GetType(), envelope.Message);
        DeepEqual.Check(message, envelope.Message);
    }

    [Fact]
    public void Every_message_type_is_registered_under_a_tasks_manifest()
    {
        // Records that are parts of messages, not messages of their own.
        var parts = new[] { typeof(JobOptions), typeof(TaskFailure), typeof(ResourceStatus), typeof(ResourceLease), typeof(ResourceWaiter) };
        var messageTypes = typeof(SubmitJob).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "ActorTasks.Messages" && t.IsClass && !parts.Contains(t))
            .ToList();
        var registry = TaskSystemSerialization.Register(new SerializerRegistry());

        Assert.Equal(messageTypes.Count, registry.Registrations.Count);
        foreach (var type in messageTypes)
        {
            Assert.True(registry.TryGetByType(type, out var registration), $"{type.Name} is not registered");
            Assert.StartsWith("tasks.", registration.Manifest);
            Assert.True(type.IsSealed, $"{type.Name} is not sealed");
        }
        Assert.Equal(messageTypes.Count, Messages().Select(row => row[1].GetType()).Distinct().Count());
    }

    [Fact]
    public void Manifests_stay_as_published()
    {
        var registry = TaskSystemSerialization.Register(new SerializerRegistry());
        Assert.Equal("tasks.submit-job", registry.GetByType(typeof(SubmitJob)).Manifest);
        Assert.Equal("tasks.work-assigned", registry.GetByType(typeof(WorkAssigned)).Manifest);
        Assert.Equal("tasks.task-results", registry.GetByType(typeof(TaskResults)).Manifest);
        Assert.Equal("tasks.job-progress", registry.GetByType(typeof(JobProgress)).Manifest);
        Assert.Equal("tasks.acquire", registry.GetByType(typeof(Acquire)).Manifest);
    }

    [Fact]
    public void A_batch_of_small_tasks_costs_a_few_bytes_per_task_on_the_wire()
    {
        var serializer = Serializer();
        var batch = new WorkAssigned("12", [.. Enumerable.Range(0, 256).Select(i => new WorkItem(100_000 + i, new byte[8], 1))]);
        var results = new TaskResults("12", [.. Enumerable.Range(0, 256).Select(i => new TaskSucceeded(100_000 + i, 1, new byte[8]))], [], null, 256);

        Assert.InRange(serializer.Serialize(batch, Recipient, Producer).Length, 256 * 8, 256 * 14 + 300);
        Assert.InRange(serializer.Serialize(results, Recipient, Consumer).Length, 256 * 8, 256 * 14 + 300);
    }

    [Theory]
    [InlineData("tasks.work-assigned", new byte[] { 1, 1, (byte)'j', 200, 1 }, "task count")]         // 200 tasks in 0 bytes
    [InlineData("tasks.work-assigned", new byte[] { 1, 1, (byte)'j', 1, 0, 1, 50, 1 }, "task 0 payload")] // 50-byte payload, 1 byte left
    [InlineData("tasks.work-assigned", new byte[] { 1, 1, (byte)'j', 0, 7 }, "left over")]
    [InlineData("tasks.work-assigned", new byte[] { 2, 1, (byte)'j', 0 }, "message tag 2")]
    [InlineData("tasks.work-assigned", new byte[] { 1, 5, (byte)'j' }, "job id")]
    [InlineData("tasks.task-results", new byte[] { 2, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1 }, "window")]
    [InlineData("tasks.task-results", new byte[] { 2, 1, 0xFF, 0, 0, 0, 0 }, "job id: not valid UTF-8")]
    [InlineData("tasks.task-results", new byte[] { 2, 0, 1, 0, 0, 3, 1, (byte)'a', 0, 1, (byte)'a', 0 }, "counter 'a' appears twice")]
    public void A_malformed_work_message_is_refused_with_the_field_named(string manifest, byte[] payload, string expected)
    {
        var registry = TaskSystemSerialization.Register(new SerializerRegistry());
        Assert.True(registry.TryGetByManifest(manifest, out var registration));
        var context = new SerializationContext(registry, new PathResolver());

        var error = Assert.Throws<FormatException>(() => registration.Serializer.FromBinary(payload, registration.Type, context));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Damaged_work_messages_are_refused_with_a_FormatException_and_nothing_else()
    {
        var registry = TaskSystemSerialization.Register(new SerializerRegistry());
        var context = new SerializationContext(registry, new PathResolver());
        var messages = new object[]
        {
            new TaskResults("12", [new TaskSucceeded(4, 1, [9, 9, 9])], [new TaskFailed(5, 2, "E", "m")], new() { ["files"] = 3 }, 8),
            new WorkAssigned("12", [new WorkItem(1, [1, 2], 1), new WorkItem(300, [3], 2)]),
        };
        var random = new Random(1234);
        var refused = 0;
        foreach (var message in messages)
        {
            var registration = registry.GetByType(message.GetType());
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            registration.Serializer.ToBinary(message, buffer, context);
            for (var round = 0; round < 3_000; round++)
            {
                var bytes = buffer.WrittenSpan.ToArray();
                if (random.Next(4) == 0) bytes = bytes[..random.Next(bytes.Length)];
                for (var flips = random.Next(1, 4); flips > 0 && bytes.Length > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                try
                {
                    Assert.IsType(message.GetType(), registration.Serializer.FromBinary(bytes, registration.Type, context));
                }
                catch (FormatException)
                {
                    refused++;
                }
            }
        }
        Assert.True(refused > 1_000, $"only {refused} of 6000 damaged messages were refused");
    }
}

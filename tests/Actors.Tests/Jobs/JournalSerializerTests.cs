using System.Runtime.Serialization;
using ActorTasks.Messages;
using ActorTasks.Tasks.Collectors;
using ActorTasks.Tasks.Jobs.Journal;
using ActorTasks.Tasks.Tests.Support;
using Akka.Actor;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTasks.Tasks.Tests.Jobs;

/// <summary>What the job journal stores, written and read back through the serializer the configuration binds to it.</summary>
public sealed class JournalSerializerTests() : TestKit(TaskSystemFixture.Config())
{
    private static readonly DateTimeOffset Submitted = new(2026, 12, 6, 1, 2, 3, TimeSpan.FromHours(1));

    private Serializer SerializerFor(object message) => Sys.Serialization.FindSerializerFor(message);

    private T RoundTrip<T>(T message) where T : notnull
    {
        var serializer = SerializerFor(message);
        Assert.IsType<JournalSerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        Assert.StartsWith("journal.", manifest);
        return Assert.IsType<T>(Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest));
    }

    private static JobFinished Finished(long number) => new($"{number}", JobState.CompletedWithFailures,
        [new("sum", "285")], ["line one", "line two — ünïcode"], 10, 1, 11,
        [new TaskFailure(3, 4, "IOException", "disk gone")], "1 of 11 tasks failed", TimeSpan.FromSeconds(1.5), LinesTotal: 2);

    [Fact]
    public void The_job_ledger_events_and_its_state_read_back_as_written()
    {
        var submit = new SubmitJob("grep", ["TODO", "/src", "--ignore-case"], new JobOptions(FailFast: true, MaxRetries: 2));
        var accepted = RoundTrip(new JobAcceptedEvent(7, submit, Submitted));
        Assert.Equal(7, accepted.Number);
        Assert.Equal("grep", accepted.Submit.Kind);
        Assert.Equal(submit.Arguments, accepted.Submit.Arguments);
        Assert.Equal(submit.Options, accepted.Submit.Options);
        Assert.Equal(Submitted, accepted.SubmittedAt);

        var progress = new JobProgress("7", 10, 1, 11, 5.5, TimeSpan.Zero, TimeSpan.FromSeconds(2),
            new Dictionary<string, long> { ["akka.tcp://tasks@127.0.0.1:4053"] = 10 }, new Dictionary<string, long> { ["bytes"] = 99 });
        var ended = RoundTrip(new JobEndedEvent(7, Finished(7), progress, Submitted.AddMinutes(1)));
        Assert.Equal(JobState.CompletedWithFailures, ended.Finished.State);
        Assert.Equal(Finished(7).Lines, ended.Finished.Lines);
        Assert.Equal("disk gone", Assert.Single(ended.Finished.Failures).Message);
        Assert.Equal(TimeSpan.FromSeconds(1.5), ended.Finished.Elapsed);
        Assert.Equal(99, ended.FinalProgress!.Counters["bytes"]);
        Assert.Equal(Submitted.AddMinutes(1), ended.FinishedAt);

        Assert.Equal(3, RoundTrip(new JobForgottenEvent(3)).Number);

        var state = RoundTrip(JobLedgerState.Empty.Apply(new JobAcceptedEvent(1, submit, Submitted)).Apply(new JobAcceptedEvent(2, submit, Submitted))
            .Apply(new JobEndedEvent(1, Finished(1), null, Submitted)));
        Assert.Equal(2, state.LastNumber);
        Assert.Equal([1L, 2L], state.Jobs.Select(j => j.Number));
        Assert.Equal(JobState.CompletedWithFailures, state.Jobs[0].Finished!.State);
        Assert.Null(state.Jobs[1].Finished);
    }

    [Fact]
    public void The_ledger_state_numbers_jobs_past_every_one_forgotten()
    {
        var submit = new SubmitJob("noop", ["1"], JobOptions.Default);
        var state = JobLedgerState.Empty;
        for (var n = 1; n <= 3; n++) state = state.Apply(new JobAcceptedEvent(n, submit, Submitted));
        state = state.Apply(new JobForgottenEvent(3)).Apply(new JobForgottenEvent(1));

        Assert.Equal([2L], state.Jobs.Select(j => j.Number));
        Assert.Equal(3, state.LastNumber);
    }

    [Fact]
    public void Settled_tasks_and_a_job_state_read_back_byte_for_byte()
    {
        byte[] binary = [0, 255, 10, 13, 0xC3];
        var settled = RoundTrip(new TasksSettledEvent(
            [new StoredResult(0, binary), new StoredResult(1L << 40, [])],
            [new TaskFailure(5, 3, "FormatException", "bad \"row\"\nline 2")],
            12,
            new Dictionary<string, long> { ["bytes"] = long.MaxValue, ["rows"] = -1 },
            new Dictionary<string, long> { ["node-a"] = 2 },
            HandedOut: 1L << 41,
            RunAgain: 17));
        Assert.Equal([0L, 1L << 40], settled.Results.Select(r => r.Index));
        Assert.Equal((1L << 41, 17L), (settled.HandedOut, settled.RunAgain));
        Assert.Equal(binary, settled.Results[0].Result);
        Assert.Empty(settled.Results[1].Result);
        Assert.Equal(new TaskFailure(5, 3, "FormatException", "bad \"row\"\nline 2"), Assert.Single(settled.GivenUp));
        Assert.Equal(12, settled.Total);
        Assert.Equal(long.MaxValue, settled.Counters["bytes"]);
        Assert.Equal(-1, settled.Counters["rows"]);
        Assert.Equal(2, settled.PerNode["node-a"]);
        Assert.Null(RoundTrip(new TasksSettledEvent([], [], null, new Dictionary<string, long>(), new Dictionary<string, long>())).Total);

        var set = new SettledSet();
        foreach (var i in new long[] { 0, 1, 2, 5, 200, 201 }) set.TryAdd(i);
        var state = RoundTrip(new JobTasksState(set, 5, 1, null, [new TaskFailure(200, 1, "E", "m")],
            new Dictionary<string, long> { ["x"] = 1 }, new Dictionary<string, long> { ["n"] = 5 }, [1, 2, 3], HandedOut: 230, RunAgain: 4));
        Assert.Equal(6, state.Settled.Count);
        Assert.All(new long[] { 0, 1, 2, 5, 200, 201 }, i => Assert.True(state.Settled.Contains(i)));
        Assert.False(state.Settled.Contains(3));
        Assert.False(state.Settled.Contains(202));
        Assert.Equal((5L, 1L, (long?)null), (state.Done, state.Failed, state.Total));
        Assert.Equal([1, 2, 3], state.Reducer);
        Assert.Equal(1, state.Counters["x"]);
        Assert.Equal(5, state.PerNode["n"]);
        Assert.Equal((230L, 4L), (state.HandedOut, state.RunAgain));
    }

    [Theory]
    [InlineData("journal.tasks-settled")]
    [InlineData("journal.job-tasks-state")]
    [InlineData("journal.job-accepted")]
    [InlineData("journal.job-ledger-state")]
    public void Bytes_that_are_not_a_journal_message_fail_naming_the_manifest(string manifest)
    {
        var serializer = new JournalSerializer((ExtendedActorSystem)Sys);
        var random = new Random(manifest.Length);
        List<byte[]> garbage = [[], [1], [2, 0, 0], [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], "{not json"u8.ToArray()];
        for (var i = 0; i < 20; i++)
        {
            var bytes = new byte[random.Next(1, 64)];
            random.NextBytes(bytes);
            bytes[0] = 1;
            garbage.Add(bytes);
        }
        foreach (var bytes in garbage)
        {
            var e = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, manifest));
            Assert.StartsWith(manifest, e.Message);
        }
    }

    [Fact]
    public void A_written_event_cut_short_or_with_bytes_after_it_is_refused()
    {
        var serializer = new JournalSerializer((ExtendedActorSystem)Sys);
        var bytes = serializer.ToBinary(new TasksSettledEvent([new StoredResult(3, [1, 2, 3, 4])], [], 4,
            new Dictionary<string, long>(), new Dictionary<string, long> { ["node"] = 1 }));
        for (var length = 0; length < bytes.Length; length++)
            Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes[..length], "journal.tasks-settled"));
        Assert.Throws<SerializationException>(() => serializer.FromBinary([.. bytes, 0], "journal.tasks-settled"));
    }

    [Fact]
    public void A_manifest_of_another_version_or_kind_is_refused_by_name()
    {
        var serializer = new JournalSerializer((ExtendedActorSystem)Sys);
        var e = Assert.Throws<SerializationException>(() => serializer.FromBinary([1], "journal.job-paused"));
        Assert.Contains("journal.job-paused", e.Message);
        var settled = serializer.ToBinary(new TasksSettledEvent([], [], null, new Dictionary<string, long>(), new Dictionary<string, long>()));
        settled[0] = 2;
        var version = Assert.Throws<SerializationException>(() => serializer.FromBinary(settled, "journal.tasks-settled"));
        Assert.Contains("format 2", version.Message);
    }
}

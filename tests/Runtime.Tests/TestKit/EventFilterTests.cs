using ActorTasks.Actor;
using ActorTasks.Configuration;
using ActorTasks.Testing;
using Serilog.Events;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tests.TestKitTests;

public sealed class EventFilterTests(ITestOutputHelper output) : TestKit(output)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(150);

    // Long enough for events already caused to arrive on a busy machine, before a test waits out the rest.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    [Fact]
    public void Error_of_T_sees_an_actor_failure_logged_by_its_supervisor()
    {
        var actor = Sys.ActorOf(Props.Create<FailingActor>());

        EventFilter.Error<ArgumentException>(message: "boom").Expect(() => actor.Tell("boom", Nobody.Instance));
    }

    [Fact]
    public void Error_of_T_fails_when_the_exception_is_of_another_type_and_lists_what_was_logged()
    {
        var actor = Sys.ActorOf(Props.Create<FailingActor>());

        var e = Assert.Throws<TestKitAssertionException>(
            () => EventFilter.Error<InvalidOperationException>().Expect(() => actor.Tell("boom", Nobody.Instance), Settle));

        Assert.StartsWith(
            $"EventFilter: expected 1 × Error log event with a InvalidOperationException but saw 0 (waited {Dilated(Settle).TotalMilliseconds:0} ms after the block)",
            e.Message);
        Assert.Contains("matched: (none)", e.Message);
        Assert.Contains("other log events during the block: [ERR]", e.Message);
        Assert.Contains("(ArgumentException: boom)", e.Message);
    }

    [Fact]
    public void Warning_counts_exactly_the_expected_occurrences()
    {
        var actor = Sys.ActorOf(Props.Create<FailingActor>());

        EventFilter.Warning("warning number", occurrences: 2).Expect(() =>
        {
            actor.Tell(1, Nobody.Instance);
            actor.Tell(2, Nobody.Instance);
        });
    }

    [Fact]
    public void Warning_fails_when_fewer_events_happen_naming_expected_and_seen_counts()
    {
        var e = Assert.Throws<TestKitAssertionException>(
            () => EventFilter.Warning("careful", occurrences: 2).Expect(() => Sys.Log.Warning("be careful"), Short));

        Assert.StartsWith("EventFilter: expected 2 × Warning log event containing \"careful\" but saw 1 (waited ", e.Message);
        Assert.Contains("matched: [WRN] be careful", e.Message);
    }

    [Fact]
    public void Warning_fails_when_more_events_happen_than_expected()
    {
        var e = Assert.Throws<TestKitAssertionException>(() => EventFilter.Warning("careful").Expect(() =>
        {
            Sys.Log.Warning("careful one");
            Sys.Log.Warning("careful two");
        }));

        Assert.StartsWith("EventFilter: expected 1 × Warning log event containing \"careful\" but saw 2", e.Message);
        Assert.Contains("matched: [WRN] careful one; [WRN] careful two", e.Message);
    }

    [Fact]
    public void Events_before_the_block_do_not_count()
    {
        Sys.Log.Warning("before the block");

        EventFilter.Warning("before", occurrences: 0).Expect(() => Sys.Log.Warning("during the block"));
    }

    [Fact]
    public void Zero_occurrences_fails_when_a_matching_event_happens()
    {
        var e = Assert.Throws<TestKitAssertionException>(() => EventFilter.Error(occurrences: 0).Expect(() => Sys.Log.Error("oops")));

        Assert.StartsWith("EventFilter: expected 0 × Error log event but saw 1", e.Message);
    }

    [Fact]
    public void Info_sees_events_logged_by_actors_on_dispatcher_threads()
    {
        // The listener that logs dead letters subscribes in PreStart; once it answers Identify, it has.
        Sys.ActorSelection("/system/deadLetterListener").Tell(new Identify("listener"), TestActor);
        Assert.NotNull(ExpectMsg<ActorIdentity>().Subject);

        EventFilter.Info("was not delivered").Expect(() => Sys.DeadLetters.Tell("lost", Nobody.Instance));
    }

    [Fact]
    public void Exception_of_T_matches_any_level_and_the_exception_message()
    {
        EventFilter.Exception<TimeoutException>(message: "slow disk").Expect(
            () => Sys.Log.Warning(new TimeoutException("slow disk"), "retrying"));
    }

    [Fact]
    public void Custom_matches_log_events_by_predicate()
    {
        EventFilter.Custom(e => e.Level == LogEventLevel.Information && e.Properties.ContainsKey("JobId"))
            .Expect(() => Sys.Log.Information("job {JobId} started", 7));
    }

    [Fact]
    public void DeadLetter_of_T_counts_messages_to_a_stopped_actor()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);

        EventFilter.DeadLetter<string>(occurrences: 2).Expect(() =>
        {
            actor.Tell("one", TestActor);
            actor.Tell("two", TestActor);
        });
    }

    [Fact]
    public void DeadLetter_of_T_fails_listing_the_other_dead_letters_seen()
    {
        var e = Assert.Throws<TestKitAssertionException>(
            () => EventFilter.DeadLetter<int>().Expect(() => Sys.DeadLetters.Tell("lost", TestActor), Short));

        Assert.StartsWith("EventFilter: expected 1 × dead letter of Int32 but saw 0", e.Message);
        Assert.Contains($"other dead letters during the block: dead letter String \"lost\" from [{TestActor.Path}] to [", e.Message);
    }

    [Fact]
    public async Task DeadLetter_ExpectAsync_awaits_an_async_block()
    {
        await EventFilter.DeadLetter().ExpectAsync(async () =>
        {
            await Task.Yield();
            Sys.DeadLetters.Tell(42, Nobody.Instance);
        });
    }

    [Fact]
    public void Unhandled_of_T_sees_a_message_an_actor_did_not_handle()
    {
        var actor = Sys.ActorOf(Props.Create<IntOnlyActor>());

        var result = EventFilter.Unhandled<string>(predicate: s => s == "huh?").Expect(() =>
        {
            actor.Tell("huh?", Nobody.Instance);
            return "done";
        });

        Assert.Equal("done", result);
    }

    [Fact]
    public void A_failing_block_is_rethrown_and_the_filter_stops_counting()
    {
        var filter = EventFilter.Warning();

        Assert.Throws<FormatException>(() => filter.Expect(() => throw new FormatException("in the block")));

        filter.Expect(() => Sys.Log.Warning("counted by the next Expect only"));
    }

    [Fact]
    public void Expect_rejects_an_async_body()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            _ = EventFilter.Warning().Expect(async () => await Task.Yield());
        });

        Assert.Contains("use ExpectAsync", e.Message);
    }
}

public sealed class EventFilterLogLevelTests(ITestOutputHelper output)
    : TestKit(RuntimeSettings.Default with { LogLevel = LogEventLevel.Information }, output)
{
    [Fact]
    public void Debug_fails_with_a_note_when_the_system_does_not_emit_debug_events()
    {
        var e = Assert.Throws<TestKitAssertionException>(
            () => EventFilter.Debug().Expect(() => Sys.Log.Debug("filtered out by the system"), TimeSpan.FromMilliseconds(50)));

        Assert.Contains($"note: system {Sys.Name} logs at Information and above, so Debug events are never emitted", e.Message);
    }
}

public sealed class EventFilterDebugTests(ITestOutputHelper output)
    : TestKit(RuntimeSettings.Default with { LogLevel = LogEventLevel.Debug }, output)
{
    [Fact]
    public void Debug_sees_debug_events_when_the_system_emits_them()
    {
        EventFilter.Debug("details").Expect(() => Sys.Log.Debug("some details"));
    }
}

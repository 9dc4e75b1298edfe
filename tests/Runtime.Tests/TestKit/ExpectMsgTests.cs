using System.Diagnostics;
using ActorTasks.Actor;
using ActorTasks.Configuration;
using ActorTasks.Testing;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ActorTasks.Tests.TestKitTests;

public sealed class ExpectMsgTests(ITestOutputHelper output) : TestKit(output)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void ExpectMsg_returns_the_message_when_a_T_arrives()
    {
        TestActor.Tell("hello", Nobody.Instance);

        Assert.Equal("hello", ExpectMsg<string>());
    }

    [Fact]
    public void ExpectMsg_records_the_sender_as_LastSender()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        echo.Tell("ping", TestActor);

        ExpectMsg("ping");

        Assert.Equal(echo, LastSender);
        Assert.Equal("ping", LastMessage);
    }

    [Fact]
    public void ExpectMsg_fails_naming_the_received_type_when_another_type_arrives()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        echo.Tell("hello", TestActor);

        var e = Assert.Throws<TestKitAssertionException>(() => ExpectMsg<int>());

        Assert.StartsWith($"ExpectMsg<Int32>: expected a Int32 but received String \"hello\" from [{echo.Path}] after ", e.Message);
        Assert.InRange(FailureText.Ms(e.Message, "after"), 0, (int)DefaultTimeout.TotalMilliseconds);
    }

    [Fact]
    public void ExpectMsg_fails_after_the_timeout_saying_nothing_arrived()
    {
        var watch = Stopwatch.StartNew();

        var e = Assert.Throws<TestKitAssertionException>(() => ExpectMsg<string>(timeout: Short));

        Assert.Equal($"ExpectMsg<String>: timed out after {Dilated(Short).TotalMilliseconds:0} ms waiting for a String; nothing arrived", e.Message);
        Assert.True(watch.Elapsed >= Dilated(Short) - TimeSpan.FromMilliseconds(20), $"returned after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void ExpectMsg_with_a_predicate_returns_the_matching_message()
    {
        TestActor.Tell(42, Nobody.Instance);

        Assert.Equal(42, ExpectMsg<int>(n => n > 40));
    }

    [Fact]
    public void ExpectMsg_with_a_predicate_fails_when_the_message_does_not_match()
    {
        TestActor.Tell(7, Nobody.Instance);

        var e = Assert.Throws<TestKitAssertionException>(() => ExpectMsg<int>(n => n > 40));

        Assert.StartsWith("ExpectMsg<Int32>: expected a Int32 matching the predicate but received Int32 7 from no sender after ", e.Message);
    }

    [Fact]
    public void ExpectMsg_by_value_fails_naming_the_expected_and_the_received_value()
    {
        TestActor.Tell("b", Nobody.Instance);

        var e = Assert.Throws<TestKitAssertionException>(() => ExpectMsg("a"));

        Assert.StartsWith("ExpectMsg<String>: expected String \"a\" but received String \"b\" from no sender after ", e.Message);
    }

    [Fact]
    public void ExpectMsg_by_value_uses_record_equality()
    {
        TestActor.Tell(new Greeting("hi"), Nobody.Instance);

        ExpectMsg(new Greeting("hi"));
    }

    [Fact]
    public void ExpectMsg_with_an_assertion_reports_the_failed_assertion_and_the_message()
    {
        TestActor.Tell(new Greeting("hi"), Nobody.Instance);

        var e = Assert.Throws<TestKitAssertionException>(() => ExpectMsg<Greeting>(g => Assert.Equal("bye", g.Text)));

        Assert.StartsWith("ExpectMsg<Greeting>: received Greeting Greeting { Text = hi } from no sender after ", e.Message);
        Assert.Contains("but the assertion failed: ", e.Message);
        Assert.IsType<EqualException>(e.InnerException);
    }

    [Fact]
    public void ExpectMsg_with_an_assertion_returns_the_message_when_the_assertion_holds()
    {
        TestActor.Tell(new Greeting("hi"), Nobody.Instance);

        var greeting = ExpectMsg<Greeting>(g => Assert.Equal("hi", g.Text));

        Assert.Equal("hi", greeting.Text);
    }

    [Fact]
    public void ExpectMsg_with_a_duration_waits_that_long()
    {
        var e = Assert.Throws<TestKitAssertionException>(() => ExpectMsg<string>(Short));

        Assert.Contains($"timed out after {Dilated(Short).TotalMilliseconds:0} ms", e.Message);
    }

    [Fact]
    public async Task ExpectMsgAsync_completes_when_the_message_arrives_later()
    {
        var pending = ExpectMsgAsync<string>();
        Assert.False(pending.IsCompleted);

        TestActor.Tell("later", Nobody.Instance);

        Assert.Equal("later", await pending);
    }

    [Fact]
    public async Task ExpectMsgAsync_fails_like_the_sync_form()
    {
        TestActor.Tell("b", Nobody.Instance);

        var e = await Assert.ThrowsAsync<TestKitAssertionException>(() => ExpectMsgAsync<int>());

        Assert.StartsWith("ExpectMsg<Int32>: expected a Int32 but received String \"b\"", e.Message);
    }

    [Fact]
    public void ExpectMsgFrom_returns_the_message_when_the_sender_matches()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        echo.Tell("ping", TestActor);

        Assert.Equal("ping", ExpectMsgFrom<string>(echo));
    }

    [Fact]
    public async Task ExpectMsgFrom_fails_naming_both_senders_when_another_actor_sent_the_message()
    {
        var expected = Sys.ActorOf(Props.Create<EchoActor>(), "expected");
        var other = Sys.ActorOf(Props.Create<EchoActor>(), "other");
        other.Tell("ping", TestActor);

        var e = await Assert.ThrowsAsync<TestKitAssertionException>(() => ExpectMsgFromAsync(expected, "ping"));

        Assert.StartsWith(
            $"ExpectMsgFrom<String>: expected String \"ping\" from [{expected.Path}] but received String \"ping\" from [{other.Path}] after ",
            e.Message);
    }

    [Fact]
    public void Expectations_after_a_failure_see_the_following_messages()
    {
        TestActor.Tell(1, Nobody.Instance);
        TestActor.Tell(2, Nobody.Instance);

        Assert.Throws<TestKitAssertionException>(() => ExpectMsg<string>());

        Assert.Equal(2, ExpectMsg<int>());
    }

    private sealed record Greeting(string Text);
}

public sealed class DefaultTimeoutTests(ITestOutputHelper output)
    : TestKit(RuntimeSettings.Default, Timing, output)
{
    // Long enough for a message sent at once to arrive even on a cold, busy machine; the tests that wait it out
    // expect nothing to arrive.
    private static readonly TestKitSettings Timing = new()
    {
        DefaultTimeout = TimeSpan.FromMilliseconds(150),
        DefaultNoMessageDuration = TimeSpan.FromMilliseconds(500),
        TimeFactor = 2,
    };

    [Fact]
    public void ExpectMsg_without_a_timeout_waits_the_default_timeout_times_the_time_factor()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(300), DefaultTimeout);

        var e = Assert.Throws<TestKitAssertionException>(() => ExpectMsg<string>());

        Assert.Contains("timed out after 300 ms", e.Message);
    }

    [Fact]
    public void Explicit_timeouts_are_dilated_too()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), Dilated(TimeSpan.FromSeconds(1)));

        var e = Assert.Throws<TestKitAssertionException>(() => ExpectMsg<string>(timeout: TimeSpan.FromMilliseconds(50)));

        Assert.Contains("timed out after 100 ms", e.Message);
    }

    [Fact]
    public void ExpectNoMsg_without_a_duration_listens_for_the_default_duration_times_the_time_factor()
    {
        TestActor.Tell("late", Nobody.Instance);

        var e = Assert.Throws<TestKitAssertionException>(() => ExpectNoMsg());

        Assert.StartsWith("ExpectNoMsg: expected no message for 1000 ms but received String \"late\"", e.Message);
    }
}

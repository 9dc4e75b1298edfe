using System.Diagnostics;
using ActorTasks.Actor;
using ActorTasks.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tests.TestKitTests;

public sealed class ReceiveTests(ITestOutputHelper output) : TestKit(output)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);

    // Long enough for messages already sent to arrive on a busy machine, before a test waits out the rest.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    private void Send(params object[] messages)
    {
        foreach (var m in messages) TestActor.Tell(m, Nobody.Instance);
    }

    [Fact]
    public void ReceiveN_returns_n_messages_of_any_type_in_arrival_order()
    {
        Send("a", 1, "b");

        Assert.Equal(["a", 1, "b"], ReceiveN(3));
    }

    [Fact]
    public void ReceiveN_fails_listing_the_messages_that_did_arrive()
    {
        Send("a", 1);

        var e = Assert.Throws<TestKitAssertionException>(() => ReceiveN(3, Settle));

        Assert.Equal(
            $"ReceiveN: timed out after {Dilated(Settle).TotalMilliseconds:0} ms having received 2 of 3 messages: [String \"a\", Int32 1]",
            e.Message);
    }

    [Fact]
    public async Task ReceiveNAsync_leaves_later_messages_in_the_queue()
    {
        Send(1, 2, 3);

        Assert.Equal([1, 2], await ReceiveNAsync(2));
        Assert.Equal(3, await ExpectMsgAsync<int>());
    }

    [Fact]
    public void ReceiveWhile_stops_at_the_first_declined_message_and_leaves_it_for_the_next_expectation()
    {
        Send("a", "b", 42, "c");

        var strings = ReceiveWhile<string>(m => m as string);

        Assert.Equal(["a", "b"], strings);
        Assert.Equal(42, ExpectMsg<int>());
        Assert.Equal("c", ExpectMsg<string>());
    }

    [Fact]
    public void ReceiveWhile_keeps_LastSender_of_the_last_message_it_took()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        echo.Tell("a", TestActor);
        ExpectMsg("a");
        Send(1);

        Assert.Empty(ReceiveWhile<string>(m => m as string));

        Assert.Equal(echo, LastSender);
    }

    [Fact]
    public void ReceiveWhile_stops_after_msgs_messages()
    {
        Send(1, 2, 3, 4);

        Assert.Equal([1, 2], ReceiveWhile<int>(n => n > 0, msgs: 2));
        Assert.Equal(3, ExpectMsg<int>());
    }

    [Fact]
    public void ReceiveWhile_returns_once_no_message_came_for_the_idle_time()
    {
        Send(1, 2);
        var watch = Stopwatch.StartNew();

        var taken = ReceiveWhile<int>(_ => true, max: TimeSpan.FromSeconds(10), idle: Short);

        Assert.Equal([1, 2], taken);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.ElapsedMilliseconds} ms despite the idle limit");
    }

    [Fact]
    public async Task ReceiveWhileAsync_returns_what_it_collected_when_max_passes()
    {
        Send("x");

        var taken = await ReceiveWhileAsync<string>(m => m as string, max: Settle);

        Assert.Equal(["x"], taken);
    }

    [Fact]
    public void FishForMessage_skips_messages_until_one_matches()
    {
        Send("noise", 1, "the one", "after");

        Assert.Equal("the one", FishForMessage(m => m is "the one"));
        Assert.Equal("after", ExpectMsg<string>());
    }

    [Fact]
    public void FishForMessage_fails_listing_the_messages_it_skipped()
    {
        Send("noise", 1);

        var e = Assert.Throws<TestKitAssertionException>(() => FishForMessage(m => m is "the one", Settle));

        Assert.Equal(
            $"FishForMessage: timed out after {Dilated(Settle).TotalMilliseconds:0} ms waiting for a message matching the predicate; " +
            "skipped 2 other messages: [String \"noise\", Int32 1]",
            e.Message);
    }

    [Fact]
    public async Task FishForMessageAsync_of_T_skips_other_types_and_non_matching_Ts()
    {
        Send("noise", 1, 2, 30);

        Assert.Equal(30, await FishForMessageAsync<int>(n => n > 10));
    }

    [Fact]
    public void FishForMessage_of_T_fails_saying_nothing_arrived_when_the_queue_stays_empty()
    {
        var e = Assert.Throws<TestKitAssertionException>(() => FishForMessage<int>(max: Short));

        Assert.Equal($"FishForMessage<Int32>: timed out after {Dilated(Short).TotalMilliseconds:0} ms waiting for a Int32; nothing arrived", e.Message);
    }
}

using System.Diagnostics;
using ActorTasks.Actor;
using ActorTasks.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tests.TestKitTests;

public sealed class ExpectManyTests(ITestOutputHelper output) : TestKit(output)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);

    // Long enough for messages already sent to arrive on a busy machine (ExpectNoMsg fails as soon as one does).
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(1);

    [Fact]
    public void ExpectMsgAnyOf_returns_the_message_when_it_is_one_of_the_candidates()
    {
        TestActor.Tell(2, Nobody.Instance);

        Assert.Equal(2, ExpectMsgAnyOf(1, 2, 3));
    }

    [Fact]
    public void ExpectMsgAnyOf_fails_listing_the_candidates_and_what_arrived()
    {
        TestActor.Tell(4, Nobody.Instance);

        var e = Assert.Throws<TestKitAssertionException>(() => ExpectMsgAnyOf(1, 2, 3));

        Assert.StartsWith("ExpectMsgAnyOf<Int32>: expected one of [Int32 1, Int32 2, Int32 3] but received Int32 4 from no sender after ", e.Message);
    }

    [Fact]
    public async Task ExpectMsgAnyOfAsync_with_a_timeout_fails_when_nothing_arrives()
    {
        var e = await Assert.ThrowsAsync<TestKitAssertionException>(() => ExpectMsgAnyOfAsync(new[] { "a", "b" }, Short));

        Assert.Equal(
            $"ExpectMsgAnyOf<String>: timed out after {Dilated(Short).TotalMilliseconds:0} ms waiting for one of [String \"a\", String \"b\"]; nothing arrived",
            e.Message);
    }

    [Fact]
    public void ExpectMsgAllOf_accepts_the_messages_in_any_order_and_returns_them_in_arrival_order()
    {
        foreach (var n in new[] { 3, 1, 2 }) TestActor.Tell(n, Nobody.Instance);

        Assert.Equal([3, 1, 2], ExpectMsgAllOf(1, 2, 3));
    }

    [Fact]
    public void ExpectMsgAllOf_fails_on_a_message_that_is_not_expected()
    {
        TestActor.Tell(1, Nobody.Instance);
        TestActor.Tell(5, Nobody.Instance);

        var e = Assert.Throws<TestKitAssertionException>(() => ExpectMsgAllOf(1, 2));

        Assert.StartsWith("ExpectMsgAllOf<Int32>: expected one of the missing [Int32 2] but received Int32 5 from no sender after ", e.Message);
    }

    [Fact]
    public void ExpectMsgAllOf_needs_a_duplicate_as_often_as_it_is_listed()
    {
        TestActor.Tell("a", Nobody.Instance);
        TestActor.Tell("a", Nobody.Instance);

        var e = Assert.Throws<TestKitAssertionException>(() => ExpectMsgAllOf(new[] { "a", "a", "a" }, Long));

        Assert.Equal(
            $"ExpectMsgAllOf<String>: timed out after {Dilated(Long).TotalMilliseconds:0} ms with [String \"a\"] still missing; received [String \"a\", String \"a\"]",
            e.Message);
    }

    [Fact]
    public async Task ExpectMsgAllOfAsync_completes_when_the_last_message_arrives()
    {
        TestActor.Tell("x", Nobody.Instance);
        var pending = ExpectMsgAllOfAsync("x", "y");

        TestActor.Tell("y", Nobody.Instance);

        Assert.Equal(["x", "y"], await pending);
    }

    [Fact]
    public void ExpectNoMsg_passes_and_waits_the_whole_duration_when_nothing_arrives()
    {
        var watch = Stopwatch.StartNew();

        ExpectNoMsg(Short);

        Assert.True(watch.Elapsed >= Dilated(Short) - TimeSpan.FromMilliseconds(20), $"returned after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void ExpectNoMsg_fails_naming_the_message_that_arrived_and_when()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        echo.Tell("surprise", TestActor);

        var e = Assert.Throws<TestKitAssertionException>(() => ExpectNoMsg(Long));

        Assert.StartsWith(
            $"ExpectNoMsg: expected no message for {Dilated(Long).TotalMilliseconds:0} ms but received String \"surprise\" from [{echo.Path}] after ",
            e.Message);
        Assert.InRange(FailureText.Ms(e.Message, "after"), 0, (int)Dilated(Long).TotalMilliseconds);
    }

    [Fact]
    public async Task ExpectNoMsgAsync_fails_when_a_message_arrives()
    {
        TestActor.Tell(1, Nobody.Instance);

        await Assert.ThrowsAsync<TestKitAssertionException>(() => ExpectNoMsgAsync(Long));
    }

    [Fact]
    public void ExpectTerminated_returns_Terminated_for_a_watched_actor_that_stops()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);

        Sys.Stop(actor);

        Assert.Equal(actor, ExpectTerminated(actor).ActorRef);
    }

    [Fact]
    public void ExpectTerminated_sees_an_actor_that_was_already_dead_when_watched()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);

        Unwatch(actor);
        Watch(actor);

        ExpectTerminated(actor);
    }

    [Fact]
    public void ExpectTerminated_fails_with_a_hint_when_the_actor_was_not_watched()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>(), "unwatched");
        Sys.Stop(actor);

        var e = Assert.Throws<TestKitAssertionException>(() => ExpectTerminated(actor, Short));

        Assert.Equal(
            $"ExpectTerminated: timed out after {Dilated(Short).TotalMilliseconds:0} ms waiting for Terminated of [{actor.Path}]; nothing arrived " +
            "(was it watched with Watch(actor) first?)",
            e.Message);
    }

    [Fact]
    public async Task ExpectTerminatedAsync_fails_when_another_message_arrives_first()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>(), "alive");
        await WatchAsync(actor);
        actor.Tell("still here", TestActor);

        var e = await Assert.ThrowsAsync<TestKitAssertionException>(() => ExpectTerminatedAsync(actor));

        Assert.StartsWith($"ExpectTerminated: expected Terminated of [{actor.Path}] but received String \"still here\" from [{actor.Path}]", e.Message);
    }

    [Fact]
    public void Unwatch_means_no_Terminated_for_an_actor_that_stops_later()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        Unwatch(actor);

        Sys.Stop(actor);

        ExpectNoMsg(Short);
    }
}

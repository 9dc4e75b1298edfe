using System.Diagnostics;
using ActorTasks.Actor;
using Xunit;
using ActorTasks.Testing;

namespace ActorTasks.Tests.Actors;

public sealed class AskTests : TestKit
{
    private sealed class Replier : ReceiveActor
    {
        public Replier()
        {
            Receive<string>(s => s == "fail", _ => Sender.Tell(new Status.Failure(new InvalidOperationException("no can do"))));
            Receive<string>(s => s == "silent", _ => { });
            Receive<string>(s => s == "number", _ => Sender.Tell(42));
            Receive<string>(s => Sender.Tell(s.ToUpperInvariant()));
        }
    }

    [Fact]
    public async Task Ask_returns_the_reply()
    {
        var replier = Sys.ActorOf(Props.Create<Replier>());
        Assert.Equal("HI", await replier.Ask<string>("hi", TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Ask_times_out_with_a_message_naming_the_target()
    {
        var replier = Sys.ActorOf(Props.Create<Replier>(), "quiet");
        var e = await Assert.ThrowsAsync<AskTimeoutException>(() => replier.Ask<string>("silent", TimeSpan.FromMilliseconds(100)));
        Assert.Contains("/user/quiet", e.Message);
        Assert.Contains("timed out after 100 ms", e.Message);
    }

    [Fact]
    public async Task Ask_to_a_dead_actor_fails_fast_not_at_the_timeout()
    {
        var replier = Sys.ActorOf(Props.Create<Replier>());
        Watch(replier);
        Sys.Stop(replier);
        ExpectTerminated(replier);
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAsync<AskTerminatedException>(() => replier.Ask<string>("hi", TimeSpan.FromSeconds(30)));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task A_Status_Failure_reply_faults_the_task_with_its_cause()
    {
        var replier = Sys.ActorOf(Props.Create<Replier>());
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => replier.Ask<string>("fail", TimeSpan.FromSeconds(3)));
        Assert.Equal("no can do", e.Message);
    }

    [Fact]
    public async Task A_reply_of_the_wrong_type_faults_naming_both_types()
    {
        var replier = Sys.ActorOf(Props.Create<Replier>());
        var e = await Assert.ThrowsAsync<InvalidCastException>(() => replier.Ask<string>("number", TimeSpan.FromSeconds(3)));
        Assert.Contains("System.String", e.Message);
        Assert.Contains("System.Int32", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_non_positive_timeout_is_refused_at_the_call(int ms)
    {
        var replier = Sys.ActorOf(Props.Create<Replier>());
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = replier.Ask<string>("hi", TimeSpan.FromMilliseconds(ms)); });
    }

    [Fact]
    public void A_null_message_is_refused_at_the_call()
    {
        var replier = Sys.ActorOf(Props.Create<Replier>());
        Assert.Throws<ArgumentNullException>(() => { _ = replier.Ask<string>(null!, TimeSpan.FromSeconds(1)); });
    }

    [Fact]
    public async Task Ask_can_be_cancelled()
    {
        var replier = Sys.ActorOf(Props.Create<Replier>());
        using var cts = new CancellationTokenSource();
        var pending = replier.Ask<string>("silent", TimeSpan.FromSeconds(30), cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task The_reply_sender_of_an_ask_is_the_replying_actor()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        var forwarder = Sys.ActorOf(Props.Create(() => new Forwarder(echo)));
        Assert.Equal("via", await forwarder.Ask<string>("via", TimeSpan.FromSeconds(3)));
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef target) => ReceiveAny(m => target.Forward(m));
    }

    [Fact]
    public void Tell_without_a_sender_in_a_test_sends_from_TestActor()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        echo.Tell("implicit");
        ExpectMsg("implicit");
        Assert.Equal(echo, LastSender);
    }
}

using ActorTasks.Actor;
using ActorTasks.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tests.TestKitTests;

public sealed class TestProbeTests(ITestOutputHelper output) : TestKit(output)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void A_probe_has_its_own_queue()
    {
        var probe = CreateTestProbe();

        probe.Ref.Tell("for the probe", Nobody.Instance);

        probe.ExpectMsg("for the probe");
        ExpectNoMsg(Short);
    }

    [Fact]
    public void A_probe_is_named_as_asked_under_system()
    {
        var probe = CreateTestProbe("worker");

        Assert.Equal("/system/worker", probe.Ref.Path.ToStringWithoutAddress());
        Assert.Equal($"TestProbe({probe.Ref.Path})", probe.ToString());
    }

    [Fact]
    public void Send_uses_the_probe_as_the_sender()
    {
        var probe = CreateTestProbe();
        var echo = Sys.ActorOf(Props.Create<EchoActor>());

        probe.Send(echo, "ping");

        probe.ExpectMsgFrom(echo, "ping");
        Assert.Equal(echo, probe.Sender);
        Assert.Equal(echo, probe.LastSender);
    }

    [Fact]
    public void Reply_answers_the_sender_of_the_last_message()
    {
        var probe = CreateTestProbe();
        probe.Ref.Tell("question", TestActor);
        probe.ExpectMsg("question");

        probe.Reply("answer");

        ExpectMsgFrom(probe.Ref, "answer");
    }

    [Fact]
    public void Reply_without_a_sender_to_answer_throws()
    {
        var probe = CreateTestProbe();
        probe.Ref.Tell("anonymous", Nobody.Instance);
        probe.ExpectMsg("anonymous");

        var e = Assert.Throws<InvalidOperationException>(() => probe.Reply("answer"));

        Assert.Contains("had no sender", e.Message);
    }

    [Fact]
    public void Forward_keeps_the_original_sender()
    {
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        first.Ref.Tell("hop", TestActor);
        first.ExpectMsg("hop");

        first.Forward(second.Ref);

        second.ExpectMsgFrom(TestActor, "hop");
    }

    [Fact]
    public async Task A_probe_watches_on_its_own()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        await probe.WatchAsync(actor);

        Sys.Stop(actor);

        await probe.ExpectTerminatedAsync(actor);
        await ExpectNoMsgAsync(Short);
    }

    [Fact]
    public void Probe_failures_read_like_the_kits()
    {
        var probe = CreateTestProbe();
        probe.Ref.Tell(1, Nobody.Instance);

        var e = Assert.Throws<TestKitAssertionException>(() => probe.ExpectMsg<string>());

        Assert.StartsWith("ExpectMsg<String>: expected a String but received Int32 1 from no sender after ", e.Message);
    }

    [Fact]
    public void A_probe_can_live_in_another_system()
    {
        var other = ActorSystem.Create("other");
        try
        {
            var probe = CreateTestProbe(other);
            var echo = other.ActorOf(Props.Create<EchoActor>());

            probe.Send(echo, "hello");

            probe.ExpectMsg("hello");
            Assert.Equal(other, probe.Sys);
        }
        finally
        {
            Shutdown(other, verifySystemShutdown: true);
        }
        Assert.True(other.WhenTerminated.IsCompleted);
    }
}

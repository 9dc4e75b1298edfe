using ActorTasks.Actor;
using Xunit;
using ActorTasks.Testing;

namespace ActorTasks.Tests.Scheduling;

public sealed class SchedulerTests : TestKit
{
    [Fact]
    public void ScheduleTellOnce_delivers_once_after_the_delay()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), TestActor, "tick", TestActor);
        ExpectMsg("tick");
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_cancelled_tell_is_never_delivered()
    {
        var c = Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(100), TestActor, "never", TestActor);
        c.Cancel();
        Assert.True(c.IsCancellationRequested);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void ScheduleTellRepeatedly_repeats_until_cancelled()
    {
        var c = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.Zero, TimeSpan.FromMilliseconds(20), TestActor, "again", TestActor);
        ExpectMsg("again");
        ExpectMsg("again");
        ExpectMsg("again");
        c.Cancel();
        // Ticks already queued may still arrive; after them, silence.
        ReceiveWhile<string>(m => m as string, idle: TimeSpan.FromMilliseconds(200));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Bad_arguments_are_refused_at_the_call()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(-1), TestActor, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.Zero, TimeSpan.Zero, TestActor, "x"));
        Assert.Throws<ArgumentNullException>(() => Sys.Scheduler.ScheduleTellOnce(TimeSpan.Zero, TestActor, null!));
    }
}

public sealed class TimerTests : TestKit
{
    private sealed class TimerActor : ReceiveActor, IWithTimers
    {
        public ITimerScheduler Timers { get; set; } = null!;

        public TimerActor(IActorRef probe)
        {
            Receive<string>(s => s == "single", _ => Timers.StartSingleTimer("k", "fired", TimeSpan.FromMilliseconds(30)));
            Receive<string>(s => s == "periodic", _ => Timers.StartPeriodicTimer("p", "tick", TimeSpan.FromMilliseconds(20)));
            Receive<string>(s => s == "cancel", _ => Timers.Cancel("p"));
            Receive<string>(s => s == "slow-then-cancel", _ =>
            {
                Timers.StartSingleTimer("c", "should-not-fire", TimeSpan.FromMilliseconds(50));
                Timers.Cancel("c");
                probe.Tell(Timers.IsTimerActive("c") ? "active" : "inactive");
            });
            Receive<string>(s => s == "replace", _ =>
            {
                Timers.StartSingleTimer("r", "first", TimeSpan.FromMilliseconds(10));
                Timers.StartSingleTimer("r", "second", TimeSpan.FromMilliseconds(10));
            });
            Receive<string>(s => s == "restart", _ => throw new InvalidOperationException("restart me"));
            Receive<string>(s => probe.Tell(s));
        }
    }

    [Fact]
    public void A_single_timer_fires_once()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell("single", TestActor);
        ExpectMsg("fired");
        ExpectNoMsg(TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public void A_periodic_timer_fires_until_cancelled()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell("periodic", TestActor);
        ExpectMsg("tick");
        ExpectMsg("tick");
        actor.Tell("cancel", TestActor);
        // After Cancel the actor drops ticks already in its mailbox, so at most the ones before "cancel" arrive.
        ReceiveWhile<string>(m => m as string, idle: TimeSpan.FromMilliseconds(150));
        ExpectNoMsg(TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public void A_cancelled_timer_is_inactive_and_never_delivers()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell("slow-then-cancel", TestActor);
        ExpectMsg("inactive");
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Starting_a_key_again_replaces_its_timer()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell("replace", TestActor);
        ExpectMsg("second");
        ExpectNoMsg(TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public void Timers_are_cancelled_on_restart()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell("periodic", TestActor);
        ExpectMsg("tick");
        actor.Tell("restart", TestActor);
        ReceiveWhile<string>(m => m as string, idle: TimeSpan.FromMilliseconds(150));
        ExpectNoMsg(TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public void Timers_are_cancelled_on_stop()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell("periodic", TestActor);
        ExpectMsg("tick");
        Watch(actor);
        Sys.Stop(actor);
        ReceiveWhile<string>(m => m as string, idle: TimeSpan.FromMilliseconds(100));
        ExpectTerminated(actor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(150));
    }
}

public sealed class ReceiveTimeoutTests : TestKit
{
    private sealed class Idle : ReceiveActor
    {
        public Idle(IActorRef probe, TimeSpan timeout)
        {
            SetReceiveTimeout(timeout);
            Receive<ReceiveTimeout>(_ =>
            {
                probe.Tell("timeout");
                SetReceiveTimeout(null);
            });
            Receive<string>(s => probe.Tell("got:" + s));
        }
    }

    [Fact]
    public void ReceiveTimeout_arrives_after_the_idle_period()
    {
        Sys.ActorOf(Props.Create(() => new Idle(TestActor, TimeSpan.FromMilliseconds(100))));
        ExpectMsg("timeout");
        ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // turned off after the first one
    }

    [Fact]
    public void Messages_keep_the_receive_timeout_from_firing()
    {
        // A message every 100 ms from the system's scheduler (not the test thread, which a busy machine may
        // stall) against a 1 s timeout: over 2 s, only the resets keep the timeout from firing.
        var actor = Sys.ActorOf(Props.Create(() => new Quiet(TestActor, TimeSpan.FromSeconds(1))));
        var keepAlive = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.Zero, TimeSpan.FromMilliseconds(100), actor, "ping");
        ExpectNoMsg(TimeSpan.FromSeconds(2));
        keepAlive.Cancel();
        ExpectMsg("timeout", TimeSpan.FromSeconds(5));
    }

    /// <summary>Says only "timeout"; other messages are taken silently.</summary>
    private sealed class Quiet : ReceiveActor
    {
        public Quiet(IActorRef probe, TimeSpan timeout)
        {
            SetReceiveTimeout(timeout);
            Receive<ReceiveTimeout>(_ =>
            {
                probe.Tell("timeout");
                SetReceiveTimeout(null);
            });
            Receive<string>(_ => { });
        }
    }
}

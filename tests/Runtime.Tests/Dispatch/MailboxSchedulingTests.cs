using ActorTasks.Actor;
using ActorTasks.Testing;
using Xunit;

namespace ActorTasks.Tests.Dispatch;

public sealed class MailboxSchedulingTests : TestKit
{
    /// <summary>On "go": tells the partner, then (next message) spins until the partner has answered.</summary>
    private sealed class Spinner : ReceiveActor
    {
        public Spinner(IActorRef partner, TaskCompletionSource answered)
        {
            Receive<string>(s => s == "go", _ => partner.Tell("ping"));
            Receive<string>(s => s == "spin", _ =>
            {
                // Deliberately keeps this dispatcher thread busy (bounded), to prove the partner runs elsewhere.
                var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
                while (!answered.Task.IsCompleted && DateTime.UtcNow < until) Thread.SpinWait(100);
                Sender.Tell(answered.Task.IsCompleted ? "partner ran meanwhile" : "partner starved");
            });
        }
    }

    private sealed class Partner : ReceiveActor
    {
        public Partner(TaskCompletionSource answered) => Receive<string>(_ => answered.TrySetResult());
    }

    [Fact]
    public void A_mailbox_scheduled_by_an_actor_that_goes_on_working_runs_on_another_thread()
    {
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var partner = Sys.ActorOf(Props.Create(() => new Partner(answered)));
        var spinner = Sys.ActorOf(Props.Create(() => new Spinner(partner, answered)));
        // Both messages are queued before the spinner runs, so "spin" follows "go" in the same run.
        spinner.Tell("go");
        spinner.Tell("spin");
        ExpectMsg("partner ran meanwhile", TimeSpan.FromSeconds(15));
    }

    private sealed record Ball;

    private sealed class Player : ReceiveActor
    {
        public Player(int rounds, IActorRef report)
        {
            var left = rounds;
            Receive<Ball>(b =>
            {
                if (--left == 0) report.Tell("done");
                else Sender.Tell(b);
            });
        }
    }

    [Fact]
    public void Many_one_in_flight_ping_pongs_all_finish_and_other_actors_are_not_starved()
    {
        // Chains of mailboxes run back to back on one thread are capped; an unrelated actor still gets a turn.
        var pairs = Enumerable.Range(0, 8)
            .Select(_ => (A: Sys.ActorOf(Props.Create(() => new Player(20_000, TestActor))),
                          B: Sys.ActorOf(Props.Create(() => new Player(20_000, TestActor)))))
            .ToArray();
        foreach (var (a, b) in pairs) a.Tell(new Ball(), b);
        var bystander = Sys.ActorOf(Props.Create<Actors.EchoActor>());
        bystander.Tell("still served");
        var got = ReceiveN(1 + pairs.Length, TimeSpan.FromSeconds(60));
        Assert.Contains("still served", got);
        Assert.Equal(pairs.Length, got.Count(m => m is "done"));
    }
}

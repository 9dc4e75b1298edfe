using ActorTasks.Actor;
using ActorTasks.Dispatch;
using ActorTasks.Testing;
using Xunit;

namespace ActorTasks.Tests.Actors;

public sealed class AskReplyTests : TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_first_reply_settles_the_ask_at_once_and_later_ones_are_ignored()
    {
        var reply = new AskReply();
        Assert.False(reply.IsSettled);

        reply.TrySettle("first", null);
        Assert.True(reply.IsSettled);
        reply.TrySettle("second", null);
        reply.TrySettle(null, new InvalidOperationException("late"));

        Assert.Equal("first", await reply.Task.WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_failure_faults_the_task_with_its_cause()
    {
        var reply = new AskReply();
        var cause = new InvalidOperationException("no reply");

        reply.TrySettle(null, cause);

        Assert.Same(cause, await Assert.ThrowsAsync<InvalidOperationException>(() => reply.Task.WaitAsync(Timeout)));
    }

    [Fact]
    public async Task A_reply_from_outside_a_run_never_runs_the_awaiting_code_inside_the_call_that_gave_it()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var reply = new AskReply();
            var inside = 0;
            var giver = Environment.CurrentManagedThreadId;
            var observed = reply.Task.ContinueWith(
                _ => (Environment.CurrentManagedThreadId, Volatile.Read(ref inside) == 1),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

            Volatile.Write(ref inside, 1);
            reply.TrySettle(attempt, null);
            Volatile.Write(ref inside, 0);

            // Run on another thread, it may overlap the call; on this one, only after it.
            var (thread, duringCall) = await observed.WaitAsync(Timeout);
            Assert.False(thread == giver && duringCall, $"attempt {attempt}: the continuation ran inside TrySettle");
        }
    }

    /// <summary>
    /// Where and how far the replier's last handler got: its thread, whether it has returned, and whether the run it
    /// was part of has ended (the thread went back to the pool).
    /// </summary>
    private sealed class Turns : IRunEndAction
    {
        public volatile int LastThread;
        public volatile bool Returned;
        public volatile bool RunEnded;

        public void RunAtRunEnd() => RunEnded = true;

        public void RunElsewhere() { }
    }

    /// <summary>Replies, then notes that its handler has returned, and asks to hear when its run ends.</summary>
    private sealed class Replier(Turns turns) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            turns.Returned = false;
            turns.RunEnded = false;
            turns.LastThread = Environment.CurrentManagedThreadId;
            Sender.Tell(message);
            turns.Returned = true;
            DispatcherThread.TryDefer(turns);
        }
    }

    [Fact]
    public async Task An_ask_answered_in_a_turn_continues_on_that_thread_once_the_turn_has_ended()
    {
        const int Attempts = 20;
        var turns = new Turns();
        var actor = Sys.ActorOf(Props.Create(() => new Replier(turns)));

        var inReplierRun = await AskInTurnsAsync(actor, turns, Attempts);

        // Slotted, it runs on the replier's thread as the next turn of that run; queued to the pool, it would run on
        // another thread, or on this one after the run has ended. The slot watch may move it to the pool on a loaded machine, so most of the attempts suffice.
        Assert.True(inReplierRun > Attempts / 2, $"the awaiting code went on in the replier's run in {inReplierRun} of {Attempts} asks");
    }

    // Awaits without the test's context, so the code after each await is the ask's own continuation.
    private static async Task<int> AskInTurnsAsync(IActorRef actor, Turns turns, int attempts)
    {
        var inReplierRun = 0;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var answer = await actor.Ask<int>(attempt, Timeout).ConfigureAwait(false);
            var thread = Environment.CurrentManagedThreadId;
            var sameThread = thread == turns.LastThread;
            var sameRun = sameThread && !turns.RunEnded;
            Assert.Equal(attempt, answer);
            // Whoever runs it, it never runs within the handler that replied.
            Assert.False(sameThread && !turns.Returned, $"attempt {attempt}: the awaiting code ran inside the replying handler");
            if (sameRun) inReplierRun++;
        }
        return inReplierRun;
    }
}

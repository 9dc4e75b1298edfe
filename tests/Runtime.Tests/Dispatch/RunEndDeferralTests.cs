using ActorTasks.Actor;
using ActorTasks.Dispatch;
using ActorTasks.Testing;
using Xunit;

namespace ActorTasks.Tests.Dispatch;

public sealed class RunEndDeferralTests : TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Records where and when it was run: at the run's end, and by the watch elsewhere.</summary>
    private sealed class RecordingAction(Func<bool> handlerDone) : IRunEndAction
    {
        public readonly TaskCompletionSource<(int Thread, bool HandlerDone)> RanAtEnd = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource<bool> RanElsewhere = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Runs;

        public void RunAtRunEnd()
        {
            Runs++;
            RanAtEnd.TrySetResult((Environment.CurrentManagedThreadId, handlerDone()));
        }

        public void RunElsewhere() => RanElsewhere.TrySetResult(handlerDone());
    }

    private sealed class Deferrer : ReceiveActor
    {
        private bool _handlerDone;

        public Deferrer(TaskCompletionSource<RecordingAction> created)
        {
            var action = new RecordingAction(() => Volatile.Read(ref _handlerDone));
            created.SetResult(action);
            Receive<string>(_ =>
            {
                var deferred = DispatcherThread.TryDefer(action) & DispatcherThread.TryDefer(action) & DispatcherThread.TryDefer(action);
                Sender.Tell((deferred, Environment.CurrentManagedThreadId, action.Runs));
                Volatile.Write(ref _handlerDone, true);
            });
            // A long handler: defers, then keeps its thread until the watch has had the action done elsewhere (or the
            // deadline passes), and says which.
            Receive<TimeSpan>(deadline =>
            {
                Volatile.Write(ref _handlerDone, false);
                DispatcherThread.TryDefer(action);
                var until = Environment.TickCount64 + (long)deadline.TotalMilliseconds;
                while (!action.RanElsewhere.Task.IsCompleted && Environment.TickCount64 < until) Thread.SpinWait(100);
                Sender.Tell(action.RanElsewhere.Task.IsCompleted);
                Volatile.Write(ref _handlerDone, true);
            });
            Receive<int>(_ => Sender.Tell(action.Runs));
        }
    }

    private async Task<(IActorRef Deferrer, RecordingAction Action)> CreateDeferrerAsync()
    {
        var created = new TaskCompletionSource<RecordingAction>(TaskCreationOptions.RunContinuationsAsynchronously);
        var deferrer = Sys.ActorOf(Props.Create(() => new Deferrer(created)));
        return (deferrer, await created.Task.WaitAsync(Timeout));
    }

    [Fact]
    public async Task An_action_deferred_in_a_run_runs_once_after_the_handler_on_the_same_thread()
    {
        var (deferrer, action) = await CreateDeferrerAsync();

        deferrer.Tell("defer");
        var (deferred, handlerThread, runsInHandler) = ExpectMsg<(bool, int, int)>();
        var (actionThread, handlerDone) = await action.RanAtEnd.Task.WaitAsync(Timeout);

        Assert.True(deferred);
        Assert.Equal(0, runsInHandler);
        Assert.True(handlerDone, "the action ran before the handler returned");
        Assert.Equal(handlerThread, actionThread);
        deferrer.Tell(0);
        Assert.Equal(1, ExpectMsg<int>());
    }

    [Fact]
    public async Task An_action_deferred_in_a_long_run_is_done_elsewhere_while_the_run_goes_on()
    {
        var (deferrer, action) = await CreateDeferrerAsync();

        deferrer.Tell(Timeout);

        Assert.True(ExpectMsg<bool>(Timeout + TimeSpan.FromSeconds(5)), "the watch never had the deferred action done while the handler ran");
        Assert.False(await action.RanElsewhere.Task.WaitAsync(Timeout), "done elsewhere only after the handler returned");
        // And still once at the run's end, on the run's own thread.
        await action.RanAtEnd.Task.WaitAsync(Timeout);
    }

    [Fact]
    public void Outside_a_run_nothing_is_deferred_and_the_caller_is_told()
    {
        var action = new RecordingAction(() => true);

        Assert.False(DispatcherThread.TryDefer(action));
        Assert.Equal(0, action.Runs);
        Assert.False(action.RanElsewhere.Task.IsCompleted);
    }
}

using System.Buffers.Binary;
using System.Diagnostics;
using ActorTasks.Actor;
using ActorTasks.Remote.Tests.Transport.Support;
using ActorTasks.Remote.Transport;
using Serilog.Events;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Remote.Tests.Transport;

public sealed class TcpTransportTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TestNode.Timeout;

    [Fact]
    public async Task Frames_flow_both_ways_in_order_over_one_association()
    {
        const int Count = 100_000;
        await using var a = await TestNode.StartAsync(output, "a");
        await using var b = await TestNode.StartAsync(output, "b");

        await Task.WhenAll(
            Task.Run(() => a.SendSequenceAsync(b, 0, Count, 32)),
            Task.Run(() => b.SendSequenceAsync(a, 0, Count, 32)));
        await Task.WhenAll(b.Handler.WaitForFramesAsync(Count, Timeout), a.Handler.WaitForFramesAsync(Count, Timeout));

        Assert.Empty(a.Handler.OrderErrors);
        Assert.Empty(b.Handler.OrderErrors);
        Assert.Equal(Count, a.Handler.FrameCount);
        Assert.Equal(Count, b.Handler.FrameCount);
        Assert.Equal(1, a.Handler.CountOf<TransportEvent.Associated>());
        Assert.Equal(1, b.Handler.CountOf<TransportEvent.Associated>());
        Assert.Equal(0, a.Handler.CountOf<TransportEvent.Disassociated>());
    }

    [Fact]
    public async Task Frame_at_the_limit_passes_and_one_over_fails_the_send_without_dropping_the_connection()
    {
        var settings = TransportSettings.Default with { MaximumFrameSize = 256 * 1024 };
        var received = new List<int>();
        var handler = new RecordingHandler { CheckSequence = false };
        handler.OnEachFrame = (_, payload) =>
        {
            lock (received) received.Add((int)payload.Length);
        };
        await using var a = await TestNode.StartAsync(output, "a", settings);
        await using var b = await TestNode.StartAsync(output, "b", settings, handler);

        a.Send(b, new byte[settings.MaximumFrameSize]);
        Assert.False(a.TrySend(b, new byte[settings.MaximumFrameSize + 1], out var failure));
        Assert.Equal(SendFailure.FrameTooLarge, failure);
        a.Send(b, new byte[10]);

        await b.Handler.WaitForFramesAsync(2, Timeout);
        lock (received) Assert.Equal([settings.MaximumFrameSize, 10], received);
        Assert.Equal(1, a.Log.Count(LogEventLevel.Warning, "exceeds actortasks.remote.maximum-frame-size"));
        Assert.Equal(0, a.Handler.CountOf<TransportEvent.Disassociated>());
    }

    /// <summary>
    /// On any message: sends a burst of frames from a to b, all within this one run, and replies how many flushes a
    /// made while it ran. Before it returns, it waits until a pool work item queued after the last frame has run, so
    /// that a writer asked for by any of the sends would have had its turn on the pool. It waits spinning: the run
    /// must not end; a run this short ends well within the watch's few milliseconds, after which the watch would have
    /// the frames written anyway.
    /// </summary>
    private sealed class BurstSender(TestNode from, TestNode to, int burst) : UntypedActor
    {
        private long _sequence;

        protected override void OnReceive(object message)
        {
            var before = from.Transport.Counters.Flushes;
            for (var i = 0; i < burst; i++) from.Send(to, TestNode.Frame(++_sequence));
            var marker = new TaskCompletionSource();
            ThreadPool.UnsafeQueueUserWorkItem(static m => m.SetResult(), marker, preferLocal: false);
            var until = Environment.TickCount64 + 5_000;
            while (!marker.Task.IsCompleted && Environment.TickCount64 < until) Thread.SpinWait(20);
            // A writer that took the frames before the marker may still be flushing: give it the time a flush takes.
            var settle = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 5_000;
            while (Stopwatch.GetTimestamp() < settle) Thread.SpinWait(20);
            Sender.Tell(from.Transport.Counters.Flushes - before);
        }
    }

    /// <summary>
    /// A long handler: sends one frame from a to b, then keeps its thread until b has it (or the deadline passes), and
    /// replies whether b got it while the handler still ran.
    /// </summary>
    private sealed class LongRunSender(TestNode from, TestNode to, long sequence, TimeSpan deadline) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            var arrived = to.Handler.WaitForFramesAsync(sequence + 1, deadline);
            from.Send(to, TestNode.Frame(sequence));
            var until = Environment.TickCount64 + (long)deadline.TotalMilliseconds;
            while (!arrived.IsCompleted && Environment.TickCount64 < until) Thread.SpinWait(100);
            Sender.Tell(arrived.IsCompletedSuccessfully);
        }
    }

    /// <summary>Runs <paramref name="body"/> with nodes a and b connected (one frame already across) and an actor system.</summary>
    private async Task WithConnectedNodesAndSystemAsync(Func<TestNode, TestNode, ActorSystem, Task> body)
    {
        await using var a = await TestNode.StartAsync(output, "a");
        await using var b = await TestNode.StartAsync(output, "b");
        a.Send(b, TestNode.Frame(0));
        await b.Handler.WaitForFramesAsync(1, Timeout);
        var system = ActorSystem.Create("senders");
        try
        {
            await body(a, b, system);
            Assert.Empty(b.Handler.OrderErrors);
        }
        finally
        {
            await system.Terminate().WaitAsync(Timeout);
        }
    }

    [Fact]
    public Task A_frame_sent_early_in_a_long_actor_run_is_written_while_the_run_goes_on() =>
        WithConnectedNodesAndSystemAsync(async (a, b, system) =>
        {
            var sender = system.ActorOf(Props.Create(() => new LongRunSender(a, b, 1, TimeSpan.FromSeconds(10))));

            Assert.True(await sender.Ask<bool>("go", Timeout), "the frame was held until the handler returned");
        });

    [Fact]
    public async Task A_long_handler_woken_by_a_frame_runs_within_that_read_without_holding_up_the_next_frames()
    {
        var withinRead = await HoldAfterEachOddFrameAsync("the long handler", (system, handler) =>
        {
            var blocker = system.ActorOf(Props.Create(() => new Blocker(handler, TimeSpan.FromSeconds(10))));
            return hold => blocker.Tell(hold);
        });

        // Handed to the pool, the mailbox would run from the pool's dispatch instead; the slot watch may hand it there
        // on a loaded machine, so one attempt of several is enough.
        Assert.True(withinRead > 0, "the mailbox a read woke never ran within that read");
    }

    [Fact]
    public async Task A_long_handler_at_the_end_of_a_long_chain_woken_by_a_frame_does_not_hold_up_the_next_frames()
    {
        // Far more turns than a run chains before its first mid-chain check, where the pump's next read is handed on.
        const int Hops = 40;
        var withinRead = await HoldAfterEachOddFrameAsync("the chain's last handler", (system, handler) =>
        {
            var ping = system.ActorOf(Props.Create(() => new Relay(handler, TimeSpan.FromSeconds(5))));
            var pong = system.ActorOf(Props.Create(() => new Relay(handler, TimeSpan.FromSeconds(5))));
            ping.Tell(pong);
            pong.Tell(ping);
            return hold => ping.Tell(new Relay.Bounce(Hops, hold));
        });

        Assert.True(withinRead > 0, "the chain a read woke never ran within that read");
    }

    /// <summary>
    /// What one attempt of <see cref="HoldAfterEachOddFrameAsync"/> asks of the actor that holds its thread: wait for
    /// frame <paramref name="FramesToWaitFor"/>, say when the hold has started, and report how it went.
    /// </summary>
    private sealed record Hold(long FramesToWaitFor, TaskCompletionSource Started, TaskCompletionSource<(bool Arrived, bool WithinRead)> Outcome);

    /// <summary>
    /// Five attempts, each with two frames from node a to node b: the odd one is handed, on the thread that delivers
    /// it, to what <paramref name="arrange"/> returns, which must make an actor hold its thread (<see cref="HoldThread"/>);
    /// the even one is sent once that hold has started, so it can only arrive through a read done while the hold
    /// lasts. Asserts that it arrives every time; returns in how many attempts the hold ran within the read that
    /// delivered the odd frame.
    /// </summary>
    private async Task<int> HoldAfterEachOddFrameAsync(string holder, Func<ActorSystem, RecordingHandler, Action<Hold>> arrange)
    {
        const int Attempts = 5;
        var system = ActorSystem.Create("receivers");
        try
        {
            var handler = new RecordingHandler();
            await using var a = await TestNode.StartAsync(output, "a");
            await using var b = await TestNode.StartAsync(output, "b", handler: handler);
            a.Send(b, TestNode.Frame(0));
            await b.Handler.WaitForFramesAsync(1, Timeout);
            var wake = arrange(system, handler);
            Hold? current = null;
            handler.OnEachFrame = (_, payload) =>
            {
                var sequence = BinaryPrimitives.ReadInt64BigEndian(payload.FirstSpan);
                if (sequence % 2 == 1 && Volatile.Read(ref current) is { } hold) wake(hold with { FramesToWaitFor = sequence + 2 });
            };

            var withinRead = 0;
            for (var attempt = 1; attempt <= Attempts; attempt++)
            {
                var hold = new Hold(0, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
                    new TaskCompletionSource<(bool Arrived, bool WithinRead)>(TaskCreationOptions.RunContinuationsAsynchronously));
                Volatile.Write(ref current, hold);
                a.Send(b, TestNode.Frame(2 * attempt - 1));
                await hold.Started.Task.WaitAsync(Timeout);
                a.Send(b, TestNode.Frame(2 * attempt));
                var (arrived, within) = await hold.Outcome.Task.WaitAsync(Timeout);
                Assert.True(arrived, $"attempt {attempt}: the frame sent while {holder} held its thread waited for it");
                if (within) withinRead++;
            }
            output.WriteLine($"{holder} ran within the read that delivered its frame in {withinRead} of {Attempts} attempts");
            return withinRead;
        }
        finally
        {
            await system.Terminate().WaitAsync(Timeout);
        }
    }

    /// <summary>
    /// Holds the calling thread until the handler has counted the frame <paramref name="hold"/> names (or
    /// <paramref name="deadline"/> passes), and reports whether it arrived meanwhile and whether the hold ran within a
    /// read (the read pump on its stack).
    /// </summary>
    private static void HoldThread(RecordingHandler handler, Hold hold, TimeSpan deadline)
    {
        var withinRead = new StackTrace().GetFrames().Any(f => f.GetMethod()?.DeclaringType == typeof(ReadPump));
        var arrived = handler.WaitForFramesAsync(hold.FramesToWaitFor, deadline);
        hold.Started.SetResult();
        var until = Environment.TickCount64 + (long)deadline.TotalMilliseconds;
        while (!arrived.IsCompleted && Environment.TickCount64 < until) Thread.SpinWait(100);
        hold.Outcome.SetResult((arrived.IsCompletedSuccessfully, withinRead));
    }

    /// <summary>Holds its thread for each <see cref="Hold"/> it is sent (<see cref="HoldThread"/>).</summary>
    private sealed class Blocker(RecordingHandler handler, TimeSpan deadline) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is Hold hold) HoldThread(handler, hold, deadline);
        }
    }

    /// <summary>Passes a bounce to its partner until no hops are left; the last one holds its thread (<see cref="HoldThread"/>).</summary>
    private sealed class Relay(RecordingHandler handler, TimeSpan deadline) : UntypedActor
    {
        public sealed record Bounce(int HopsLeft, Hold Hold);

        private IActorRef? _partner;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case IActorRef partner:
                    _partner = partner;
                    break;
                case Bounce bounce when bounce.HopsLeft > 0:
                    _partner!.Tell(bounce with { HopsLeft = bounce.HopsLeft - 1 });
                    break;
                case Bounce bounce:
                    HoldThread(handler, bounce.Hold, deadline);
                    break;
            }
        }
    }

    [Fact]
    public Task Frames_sent_within_one_actor_run_are_written_with_one_flush_when_the_run_ends() =>
        WithConnectedNodesAndSystemAsync(async (a, b, system) =>
        {
            const int Burst = 20;
            const int Attempts = 10;
            // The observation needs a pool thread free to write the frames while the handler spins, were they not
            // held; the test host keeps some pool threads blocked, so make sure there are enough (only ever raised).
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount + 4), io);
            var sender = system.ActorOf(Props.Create(() => new BurstSender(a, b, Burst)));
            // A preempted run can outlast the watch's few milliseconds on a loaded machine, and then its frames are
            // written before it ends; one run of several that is not preempted shows the deferral.
            var results = new List<(long During, long After)>();
            for (var attempt = 1; attempt <= Attempts; attempt++)
            {
                var flushesBefore = a.Transport.Counters.Flushes;
                var during = await sender.Ask<long>("go", Timeout);
                await b.Handler.WaitForFramesAsync(1 + attempt * Burst, Timeout);
                results.Add((during, a.Transport.Counters.Flushes - flushesBefore));
                if (results[^1] == (0, 1)) break;
            }

            output.WriteLine($"{Burst} frames per run; flushes during and after each run: {string.Join(", ", results)}");
            Assert.Contains((0L, 1L), results);
        });

    [Fact]
    public async Task A_burst_on_a_live_connection_takes_fewer_flushes_than_frames()
    {
        const int Burst = 20_000;
        await using var a = await TestNode.StartAsync(output, "a");
        await using var b = await TestNode.StartAsync(output, "b");
        a.Send(b, TestNode.Frame(0));
        await b.Handler.WaitForFramesAsync(1, Timeout);
        var flushesBefore = a.Transport.Counters.Flushes;

        await a.SendSequenceAsync(b, 1, Burst, 32);
        await b.Handler.WaitForFramesAsync(Burst + 1, Timeout);

        var flushes = a.Transport.Counters.Flushes - flushesBefore;
        output.WriteLine($"{Burst} frames took {flushes} flushes");
        Assert.True(flushes < Burst, $"{flushes} flushes for {Burst} frames");
        Assert.Empty(b.Handler.OrderErrors);
    }

    [Fact]
    public async Task A_frame_handler_that_throws_closes_the_connection_with_one_warning_and_the_node_stays_up()
    {
        var handler = new RecordingHandler { CheckSequence = false };
        handler.OnEachFrame = (_, payload) =>
        {
            if (payload.Length == 3) throw new InvalidDataException("unknown manifest 'x'");
        };
        await using var a = await TestNode.StartAsync(output, "a");
        await using var b = await TestNode.StartAsync(output, "b", handler: handler);

        a.Send(b, new byte[3]);
        await b.Handler.Events.WaitForAsync(e => e is TransportEvent.Disassociated, Timeout, "b disassociated");
        await b.Log.WaitForAsync(LogEventLevel.Warning, "unknown manifest 'x'", Timeout);
        Assert.Equal(1, b.Log.Count(LogEventLevel.Warning, "unknown manifest"));

        // The sender reconnects once its backoff has passed; the receiver serves it again.
        await a.Handler.Events.WaitForAsync(e => e is TransportEvent.Disassociated, Timeout, "a disassociated");
        await SendUntilAcceptedAsync(a, b, TestNode.Frame(1, 16));
        await b.Handler.WaitForFramesAsync(1, Timeout); // the frame that threw was not counted
    }

    [Fact]
    public async Task Sends_to_a_node_that_is_not_listening_fail_after_the_first_attempt_and_the_failure_is_reported()
    {
        await using var a = await TestNode.StartAsync(output, "a", TransportSettings.Default with { ReconnectBackoffMin = TimeSpan.FromSeconds(30), ReconnectBackoffMax = TimeSpan.FromSeconds(30) });
        var port = FreePort();

        Assert.True(a.Transport.TrySend("127.0.0.1", port, TestNode.Frame(0), out _)); // queued while dialing
        var failed = await a.Handler.Events.WaitForAsync(e => e is TransportEvent.Failed, Timeout, "association failed");

        Assert.Equal(new TransportEvent.Failed("127.0.0.1", port, ((TransportEvent.Failed)failed).Reason), failed);
        Assert.False(a.Transport.TrySend("127.0.0.1", port, TestNode.Frame(1), out var failure));
        Assert.Equal(SendFailure.Unreachable, failure);
        Assert.Equal(1, a.Log.Count(LogEventLevel.Information, "Could not associate with 127.0.0.1:" + port));
    }

    [Fact]
    public async Task Sends_to_itself_to_an_invalid_address_or_after_dispose_fail_with_the_reason()
    {
        var a = await TestNode.StartAsync(output, "a");
        Assert.False(a.TrySend(a, TestNode.Frame(0), out var failure));
        Assert.Equal(SendFailure.InvalidAddress, failure);
        Assert.False(a.Transport.TrySend("127.0.0.1", 0, TestNode.Frame(0), out failure));
        Assert.Equal(SendFailure.InvalidAddress, failure);

        await a.DisposeAsync();
        Assert.False(a.Transport.TrySend("127.0.0.1", 1234, TestNode.Frame(0), out failure));
        Assert.Equal(SendFailure.NotRunning, failure);
    }

    [Fact]
    public async Task A_route_kept_by_a_sender_is_the_association_its_address_names_and_fails_like_an_address()
    {
        await using var b = await TestNode.StartAsync(output, "b");
        var a = await TestNode.StartAsync(output, "a");
        var host = b.Identity.Address.Host;
        var port = b.Identity.Address.Port;
        var route = a.Transport.RouteTo(host, port);
        Assert.NotNull(route);
        Assert.Same(route, a.Transport.RouteTo(host.ToUpperInvariant(), port)); // host names compare without case
        Assert.Null(a.Transport.RouteTo(a.Identity.Address.Host, a.Identity.Address.Port)); // itself
        Assert.Null(a.Transport.RouteTo("127.0.0.1", 0));
        Assert.Null(a.Transport.RouteTo(" ", port));

        // Frames sent through the route and by address share one association: one connection, in order.
        for (var i = 0; i < 100; i++)
        {
            if (i % 2 == 0) Assert.True(a.Transport.TrySend(route, TestNode.Frame(i), out _));
            else a.Send(b, TestNode.Frame(i));
        }
        await b.Handler.WaitForFramesAsync(100, Timeout);
        Assert.Empty(b.Handler.OrderErrors);
        Assert.Equal(1, b.Handler.CountOf<TransportEvent.Associated>());
        Assert.False(a.Transport.TrySend(route, new byte[TransportSettings.Default.MaximumFrameSize + 1], out var failure));
        Assert.Equal(SendFailure.FrameTooLarge, failure);

        await a.DisposeAsync();
        Assert.False(a.Transport.TrySend(route, TestNode.Frame(100), out failure));
        Assert.Equal(SendFailure.NotRunning, failure);
        Assert.Null(a.Transport.RouteTo(host, port));
    }

    [Fact]
    public async Task Disposing_a_node_flushes_what_it_queued_and_the_peer_sees_it_disassociate()
    {
        const int Count = 1_000;
        await using var b = await TestNode.StartAsync(output, "b");
        var a = await TestNode.StartAsync(output, "a");
        a.Send(b, TestNode.Frame(0));
        await b.Handler.WaitForFramesAsync(1, Timeout);

        for (var i = 1; i < Count; i++) a.Send(b, TestNode.Frame(i));
        await a.DisposeAsync();

        await b.Handler.Events.WaitForAsync(e => e is TransportEvent.Disassociated, Timeout, "b disassociated");
        Assert.Equal(Count, b.Handler.FrameCount);
        Assert.Empty(b.Handler.OrderErrors);
        Assert.IsType<TransportEvent.Disassociated>(a.Handler.Events.Snapshot()[^1]);
    }

    /// <summary>Sends one frame, waiting for the association (by event) when the peer is still behind its reconnect backoff.</summary>
    internal static async Task SendUntilAcceptedAsync(TestNode from, TestNode to, byte[] frame)
    {
        var associationsBefore = from.Handler.CountOf<TransportEvent.Associated>();
        if (from.TrySend(to, frame, out var failure)) return;
        Assert.Equal(SendFailure.Unreachable, failure);
        // The refused send asked for a redial as soon as the backoff ends.
        await from.Handler.Events.WaitForAsync(
            e => e is TransportEvent.Associated && from.Handler.CountOf<TransportEvent.Associated>() > associationsBefore, Timeout, "re-association");
        from.Send(to, frame);
    }

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

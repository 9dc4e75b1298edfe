using ActorTasks.Actor;
using Xunit;
using ActorTasks.Testing;

namespace ActorTasks.Tests.Stress;

public sealed class StressTests : TestKit
{
    private sealed record Numbered(int Sender, int Seq);

    private sealed record Report(int Receiver, int[] LastSeqBySender, int Total, int OutOfOrder);

    private sealed class OrderChecker : ReceiveActor
    {
        private readonly int[] _next;
        private int _total;
        private int _outOfOrder;

        public OrderChecker(int id, int senders)
        {
            _next = new int[senders];
            Receive<Numbered>(m =>
            {
                if (m.Seq != _next[m.Sender]) _outOfOrder++;
                _next[m.Sender] = m.Seq + 1;
                _total++;
            });
            Receive<string>(_ => Sender.Tell(new Report(id, _next, _total, _outOfOrder)));
        }
    }

    private sealed class Producer : ReceiveActor
    {
        public Producer(int id, IActorRef target, int count, IActorRef done)
        {
            Receive<string>(_ =>
            {
                for (var i = 0; i < count; i++) target.Tell(new Numbered(id, i));
                done.Tell(id);
            });
        }
    }

    private sealed class CountingTarget : ReceiveActor
    {
        private readonly TaskCompletionSource<int> _handled;
        private int _count;

        public CountingTarget(TaskCompletionSource<int> handled)
        {
            _handled = handled;
            Receive<Numbered>(_ => _count++);
            Receive<string>(_ => Context.Stop(Self));
        }

        // Runs after the last message this actor handles.
        protected override void PostStop() => _handled.TrySetResult(_count);
    }

    private sealed class DeadLetterCounter : ReceiveActor
    {
        public DeadLetterCounter(IActorRef target)
        {
            var count = 0;
            Receive<Event.DeadLetter>(d => d.Recipient.Equals(target) && d.Message is Numbered, _ => count++);
            Receive<Event.DeadLetter>(_ => { });
            Receive<string>(_ => Sender.Tell(count));
        }
    }

    [Fact]
    public async Task Senders_racing_a_stop_have_every_message_handled_or_dead_lettered_exactly_once()
    {
        // After the close, the stopping actor and every sender that raced it drain the queue to dead letters: they
        // must take turns (the queue has one reader) and leave nothing behind.
        const int senders = 4, perSender = 50_000;
        for (var round = 0; round < 5; round++)
        {
            var handled = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            var target = Sys.ActorOf(Props.Create(() => new CountingTarget(handled)));
            var counter = Sys.ActorOf(Props.Create(() => new DeadLetterCounter(target)));
            Sys.EventStream.Subscribe<Event.DeadLetter>(counter);
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var sending = Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
            {
                await start.Task;
                for (var i = 0; i < perSender; i++)
                {
                    target.Tell(new Numbered(s, i), Nobody.Instance);
                    if (s == 0 && i == perSender / 4) target.Tell("stop", Nobody.Instance);
                }
            })).ToArray();
            start.SetResult();
            await Task.WhenAll(sending).WaitAsync(TimeSpan.FromSeconds(60));
            var inHandler = await handled.Task.WaitAsync(TimeSpan.FromSeconds(30));

            // Dead letters are published as they are drained; wait until the counter has seen the rest.
            var expected = senders * perSender - inHandler;
            var dead = 0;
            await AwaitConditionAsync(async () =>
            {
                dead = await counter.Ask<int>("count", TimeSpan.FromSeconds(5));
                return dead >= expected;
            }, TimeSpan.FromSeconds(30));
            Assert.Equal(expected, dead);
            Sys.EventStream.Unsubscribe(counter);
            Sys.Stop(counter);
        }
    }

    [Fact]
    public void A_thousand_actors_times_a_thousand_messages_arrive_exactly_once_in_per_sender_order()
    {
        const int senders = 1000, perSender = 1000, receivers = 10;
        var checkers = Enumerable.Range(0, receivers)
            .Select(r => Sys.ActorOf(Props.Create(() => new OrderChecker(r, senders)))).ToArray();
        var producers = Enumerable.Range(0, senders)
            .Select(s => Sys.ActorOf(Props.Create(() => new Producer(s, checkers[s % receivers], perSender, TestActor)))).ToArray();
        foreach (var p in producers) p.Tell("go", TestActor);
        ReceiveN(senders, TimeSpan.FromSeconds(60));
        var total = 0;
        foreach (var c in checkers)
        {
            c.Tell("report", TestActor);
            var report = ExpectMsg<Report>(TimeSpan.FromSeconds(30));
            Assert.Equal(0, report.OutOfOrder);
            for (var s = 0; s < senders; s++)
                Assert.Equal(s % receivers == report.Receiver ? perSender : 0, report.LastSeqBySender[s]);
            total += report.Total;
        }
        Assert.Equal(senders * perSender, total);
    }

    [Fact]
    public async Task Ten_thousand_concurrent_asks_all_complete()
    {
        var echoes = Enumerable.Range(0, 10).Select(_ => Sys.ActorOf(Props.Create<Actors.EchoActor>())).ToArray();
        var asks = Enumerable.Range(0, 10_000)
            .Select(i => echoes[i % echoes.Length].Ask<int>(i, TimeSpan.FromSeconds(30)))
            .ToArray();
        var replies = await Task.WhenAll(asks);
        Assert.Equal(Enumerable.Range(0, 10_000), replies);
    }

    private sealed class FlakyRelay : ReceiveActor
    {
        public FlakyRelay(IActorRef target)
        {
            Receive<int>(i =>
            {
                if (i % 100 == 99) throw new InvalidOperationException($"fail on {i}");
                target.Tell(i);
            });
        }
    }

    [Fact]
    public void Restarts_under_load_keep_the_mailbox()
    {
        const int messages = 10_000;
        var collector = CreateTestProbe();
        var relay = Sys.ActorOf(Props.Create(() => new FlakyRelay(collector.Ref)));
        for (var i = 0; i < messages; i++) relay.Tell(i, TestActor);
        var expected = Enumerable.Range(0, messages).Where(i => i % 100 != 99).ToArray();
        var received = collector.ReceiveN(expected.Length, TimeSpan.FromSeconds(60)).Cast<int>().ToArray();
        Assert.Equal(expected, received);
    }

    private sealed class BigParent : ReceiveActor
    {
        public BigParent(int children)
        {
            for (var i = 0; i < children; i++) Context.ActorOf(Props.Create<Actors.EchoActor>(), "c" + i);
            Receive<string>(_ => Sender.Tell(Context.Children.ToArray()));
        }
    }

    private sealed class CountingWatcher : ReceiveActor
    {
        private int _terminated;

        public CountingWatcher(IActorRef[] targets, IActorRef report)
        {
            foreach (var t in targets) Context.Watch(t);
            Receive<Terminated>(_ =>
            {
                if (++_terminated == targets.Length) report.Tell(_terminated);
            });
            Receive<string>(_ => Sender.Tell("watching"));
        }
    }

    [Fact]
    public void Stopping_a_parent_with_ten_thousand_children_terminates_all_and_notifies_watchers()
    {
        const int count = 10_000;
        var parent = Sys.ActorOf(Props.Create(() => new BigParent(count)));
        parent.Tell("children", TestActor);
        var children = ExpectMsg<IActorRef[]>(TimeSpan.FromSeconds(30));
        Assert.Equal(count, children.Length);
        var watcher = Sys.ActorOf(Props.Create(() => new CountingWatcher(children, TestActor)));
        watcher.Tell("ready?", TestActor);
        ExpectMsg("watching", TimeSpan.FromSeconds(30));
        Watch(parent);
        Sys.Stop(parent);
        // The watcher's count and the parent's Terminated race each other: accept either order.
        var got = ReceiveN(2, TimeSpan.FromSeconds(60));
        Assert.Contains(count, got);
        Assert.Contains(got, m => m is Terminated t && t.ActorRef.Equals(parent));
    }
}

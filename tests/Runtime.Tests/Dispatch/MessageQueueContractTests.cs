using ActorTasks.Actor;
using ActorTasks.Dispatch;
using Xunit;

namespace ActorTasks.Tests.Dispatch;

/// <summary>What every mailbox queue promises: FIFO per producer, nothing lost or duplicated under concurrency.</summary>
public abstract class MessageQueueContractTests
{
    protected abstract IMessageQueue CreateQueue(int expectedMessages);

    private static Envelope Env(object message) => new(message, Nobody.Instance);

    [Fact]
    public void Empty_queue_has_no_messages_and_dequeues_nothing()
    {
        var queue = CreateQueue(0);
        Assert.False(queue.HasMessages);
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void Dequeues_in_the_order_enqueued()
    {
        var queue = CreateQueue(100);
        for (var i = 0; i < 100; i++) Assert.True(queue.TryEnqueue(Env(i)));
        Assert.True(queue.HasMessages);
        Assert.Equal(100, queue.Count);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(queue.TryDequeue(out var e));
            Assert.Equal(i, e.Message);
        }
        Assert.False(queue.HasMessages);
    }

    [Fact]
    public void Keeps_the_sender_with_the_message()
    {
        var queue = CreateQueue(1);
        queue.TryEnqueue(new Envelope("m", Nobody.Instance));
        Assert.True(queue.TryDequeue(out var e));
        Assert.Same(Nobody.Instance, e.Sender);
    }

    [Fact]
    public async Task Concurrent_producers_lose_nothing_and_keep_per_producer_order()
    {
        const int producers = 4, perProducer = 50_000;
        var queue = CreateQueue(producers * perProducer);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < perProducer; i++)
                Assert.True(queue.TryEnqueue(Env((p, i))));
        })).ToArray();

        var next = new int[producers];
        var received = 0;
        var consumer = Task.Run(async () =>
        {
            await start.Task;
            while (received < producers * perProducer)
            {
                if (!queue.TryDequeue(out var e))
                {
                    await Task.Yield();
                    continue;
                }
                var (p, i) = ((int, int))e.Message;
                Assert.Equal(next[p], i);
                next[p]++;
                received++;
            }
        });
        start.SetResult();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
        await consumer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(next, n => Assert.Equal(perProducer, n));
        Assert.False(queue.TryDequeue(out _));
    }
}

public sealed class UnboundedMessageQueueTests : MessageQueueContractTests
{
    protected override IMessageQueue CreateQueue(int expectedMessages) => new UnboundedMessageQueue();
}

public sealed class BoundedMessageQueueTests : MessageQueueContractTests
{
    protected override IMessageQueue CreateQueue(int expectedMessages) => new BoundedMessageQueue(Math.Max(1, expectedMessages));

    [Fact]
    public void Refuses_a_message_past_its_capacity_without_blocking()
    {
        var queue = new BoundedMessageQueue(2);
        Assert.True(queue.TryEnqueue(new Envelope(1, Nobody.Instance)));
        Assert.True(queue.TryEnqueue(new Envelope(2, Nobody.Instance)));
        Assert.False(queue.TryEnqueue(new Envelope(3, Nobody.Instance)));
        Assert.Equal(2, queue.Count);
        Assert.True(queue.TryDequeue(out _));
        Assert.True(queue.TryEnqueue(new Envelope(4, Nobody.Instance)));
    }

    [Fact]
    public async Task Concurrent_producers_never_exceed_the_capacity()
    {
        var queue = new BoundedMessageQueue(1000);
        var accepted = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var ok = 0;
            for (var i = 0; i < 10_000; i++) if (queue.TryEnqueue(new Envelope(i, Nobody.Instance))) ok++;
            return ok;
        })));
        Assert.Equal(1000, accepted.Sum());
        Assert.Equal(1000, queue.Count);
    }

    [Fact]
    public void Capacity_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedMessageQueue(0));
    }
}

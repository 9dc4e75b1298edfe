using ActorTasks.Dispatch;
using Xunit;

namespace ActorTasks.Tests.Dispatch;

/// <summary>The mailbox's many-producer, one-consumer queue: order, segment growth and the races of its producers.</summary>
public sealed class MpscQueueTests
{
    [Fact]
    public void Keeps_order_across_segment_growth_and_reports_items_until_the_last_is_taken()
    {
        var queue = new MpscQueue<int>();
        // 32 + 64 + 128 slots: three segments, each frozen when the next is needed.
        for (var i = 0; i < 200; i++) queue.Enqueue(i);
        Assert.Equal(200, queue.Count);
        for (var i = 0; i < 200; i++)
        {
            Assert.True(queue.HasItems);
            Assert.True(queue.TryDequeue(out var item));
            Assert.Equal(i, item);
        }
        Assert.False(queue.HasItems);
        Assert.False(queue.TryDequeue(out _));
        Assert.Equal(0, queue.Count);

        // The queue goes on in the last segment it grew to.
        queue.Enqueue(7);
        Assert.True(queue.TryDequeue(out var again));
        Assert.Equal(7, again);
    }

    [Fact]
    public void Wraps_around_one_segment_when_the_consumer_keeps_up()
    {
        var queue = new MpscQueue<int>();
        var next = 0;
        for (var round = 0; round < 100_000; round++)
        {
            for (var k = 0; k < 20; k++) queue.Enqueue(round * 20 + k);
            for (var k = 0; k < 20; k++)
            {
                Assert.True(queue.TryDequeue(out var item));
                Assert.Equal(next++, item);
            }
        }
        Assert.False(queue.HasItems);
    }

    [Fact]
    public async Task Producers_racing_a_consumer_through_many_freezes_lose_nothing_and_keep_their_order()
    {
        const int producers = 4, perProducer = 250_000;
        var queue = new MpscQueue<(int Producer, int Sequence)>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var senders = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < perProducer; i++)
            {
                queue.Enqueue((p, i));
                // Bursts of different lengths per producer, so segments fill and freeze at varying moments.
                if (i % (997 + p * 131) == 0) await Task.Yield();
            }
        })).ToArray();

        var next = new int[producers];
        var received = 0;
        var consumer = Task.Run(async () =>
        {
            await start.Task;
            var idle = 0;
            while (received < producers * perProducer)
            {
                if (!queue.TryDequeue(out var item))
                {
                    if (++idle % 64 == 0) await Task.Yield();
                    continue;
                }
                Assert.Equal(next[item.Producer], item.Sequence);
                next[item.Producer]++;
                received++;
            }
        });
        start.SetResult();
        await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(60));
        await consumer.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(next, n => Assert.Equal(perProducer, n));
        Assert.False(queue.HasItems);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public async Task An_item_enqueued_before_a_flag_is_read_is_seen_by_a_consumer_that_sets_the_flag_then_looks()
    {
        // The mailbox's idle hand-off in miniature: a producer enqueues then reads "scheduled"; the consumer clears
        // "scheduled" (a full fence) then looks for items. One of them must see the other, every time.
        const int rounds = 2_000;
        var queue = new MpscQueue<int>();
        var scheduled = 1;
        var missed = 0;
        for (var round = 0; round < rounds; round++)
        {
            scheduled = 1;
            var go = new Barrier(2);
            var producerSawIdle = false;
            var producer = Task.Run(() =>
            {
                go.SignalAndWait();
                queue.Enqueue(round);
                producerSawIdle = Volatile.Read(ref scheduled) == 0;
            });
            go.SignalAndWait();
            Interlocked.Exchange(ref scheduled, 0);
            var consumerSawItem = queue.HasItems;
            await producer.WaitAsync(TimeSpan.FromSeconds(10));
            if (!producerSawIdle && !consumerSawItem) missed++;
            while (queue.TryDequeue(out _)) { }
        }
        Assert.Equal(0, missed);
    }
}

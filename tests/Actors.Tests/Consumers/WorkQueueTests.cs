using ActorTasks.Messages;
using ActorTasks.Tasks.Consumers;
using Xunit;

namespace ActorTasks.Tasks.Tests.Consumers;

public sealed class WorkQueueTests
{
    private static WorkItem[] Items(params long[] indexes) => [.. indexes.Select(i => new WorkItem(i, [], 1))];

    [Fact]
    public void Keeps_order_through_growth_wraparound_and_put_back()
    {
        var queue = new WorkQueue();
        queue.EnqueueRange(Items([.. Enumerable.Range(0, 10).Select(i => (long)i)]));
        Assert.Equal([0L, 1, 2, 3, 4, 5, 6], queue.Dequeue(7).Select(i => i.Index));
        queue.EnqueueRange(Items([.. Enumerable.Range(10, 30).Select(i => (long)i)]));
        var taken = queue.Dequeue(5);
        Assert.Equal([7L, 8, 9, 10, 11], taken.Select(i => i.Index));
        queue.PushFront(taken.AsSpan(2));

        Assert.Equal(Enumerable.Range(9, 31).Select(i => (long)i), queue.Dequeue(100).Select(i => i.Index));
        Assert.Equal(0, queue.Count);
        Assert.Empty(queue.Dequeue(3));
    }

    [Fact]
    public void Takes_back_the_last_tasks_in_queue_order_and_keeps_the_rest_in_order()
    {
        var queue = new WorkQueue();
        queue.EnqueueRange(Items([.. Enumerable.Range(0, 14).Select(i => (long)i)]));
        queue.Dequeue(10);
        queue.EnqueueRange(Items([.. Enumerable.Range(14, 8).Select(i => (long)i)])); // wraps around the ring

        Assert.Equal([18L, 19, 20, 21], queue.TakeBack(4).Select(i => i.Index));
        Assert.Equal(8, queue.Count);
        Assert.Equal([10L, 11, 12, 13, 14, 15, 16, 17], queue.Dequeue(100).Select(i => i.Index));
        Assert.Empty(queue.TakeBack(3));
    }
}

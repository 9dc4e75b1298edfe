using ActorTasks.Tasks.Collectors;
using Xunit;

namespace ActorTasks.Tasks.Tests.Collectors;

public sealed class SettledSetTests
{
    [Fact]
    public void Ten_million_indexes_added_in_order_take_no_memory_that_grows_with_the_job()
    {
        var set = new SettledSet();
        set.TryAdd(0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (long i = 1; i < 10_000_000; i++)
            set.TryAdd(i);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // One bit per task from the first index on would be a 1.25 MB array (and the copies made growing it).
        Assert.True(allocated < 64 * 1024, $"allocated {allocated:N0} bytes");
        Assert.Equal(10_000_000, set.Count);
        Assert.InRange(set.Floor, 10_000_000 - 64 * 16, 10_000_000);
        Assert.False(set.TryAdd(0));
        Assert.False(set.TryAdd(9_999_999));
        Assert.True(set.TryAdd(10_000_000));
    }

    [Fact]
    public void A_task_that_stays_unsettled_holds_the_floor_and_is_still_added_once_later()
    {
        var set = new SettledSet();
        for (long i = 0; i < 100_000; i++)
            if (i != 1_000) set.TryAdd(i);

        Assert.InRange(set.Floor, 0, 1_000);
        Assert.Equal(99_999, set.Count);
        Assert.True(set.TryAdd(1_000));
        Assert.False(set.TryAdd(1_000));
        for (long i = 100_000; i < 200_000; i++) set.TryAdd(i);
        Assert.True(set.Floor > 100_000, $"floor {set.Floor}");
        Assert.Equal(200_000, set.Count);
    }

    [Fact]
    public void Indexes_settled_out_of_order_within_a_window_are_each_counted_once_as_a_hash_set_counts_them()
    {
        var random = new Random(20);
        var set = new SettledSet();
        var reference = new HashSet<long>();
        // Tasks settle about in order: each index lands within a window of 5,000 of the next one handed out, some twice.
        for (long next = 0; next < 300_000; next++)
        {
            var index = Math.Max(0, next - random.Next(5_000));
            Assert.Equal(reference.Add(index), set.TryAdd(index));
            Assert.Equal(reference.Add(next), set.TryAdd(next));
        }
        Assert.Equal(reference.Count, set.Count);
        Assert.All(Enumerable.Range(0, 1_000).Select(_ => (long)random.Next(310_000)), i => Assert.Equal(reference.Add(i), set.TryAdd(i)));
    }

    [Fact]
    public void A_negative_index_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SettledSet().TryAdd(-1));
    }
}

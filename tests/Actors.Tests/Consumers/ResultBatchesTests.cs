using ActorTasks.Messages;
using ActorTasks.Tasks.Consumers;
using Xunit;

namespace ActorTasks.Tasks.Tests.Consumers;

public sealed class ResultBatchesTests
{
    private static TaskSucceeded Result(long index, int bytes) => new(index, 1, new byte[bytes]);

    [Fact]
    public void Results_that_fit_stay_in_one_message_as_they_are()
    {
        TaskSucceeded[] succeeded = [Result(0, 400), Result(1, 600)];
        TaskFailed[] failed = [new(2, 1, "E", "boom")];

        var (batches, allFailed) = ResultBatches.Split(succeeded, failed, maxBytes: 1000);

        Assert.Same(succeeded, Assert.Single(batches));
        Assert.Same(failed, allFailed);
    }

    [Fact]
    public void Results_over_the_limit_are_split_in_order_with_no_batch_above_it()
    {
        var succeeded = Enumerable.Range(0, 10).Select(i => Result(i, 300)).ToArray();

        var (batches, allFailed) = ResultBatches.Split(succeeded, [], maxBytes: 1000);

        Assert.Equal([3, 3, 3, 1], batches.Select(b => b.Length));
        Assert.All(batches, b => Assert.True(b.Sum(s => s.Result.Length) <= 1000));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), batches.SelectMany(b => b).Select(s => s.Index));
        Assert.Empty(allFailed);
    }

    [Fact]
    public void A_single_result_over_the_limit_becomes_the_failure_of_its_task()
    {
        TaskSucceeded[] succeeded = [Result(0, 100), Result(1, 5000), Result(2, 100)];
        TaskFailed[] failed = [new(3, 2, "E", "boom")];

        var (batches, allFailed) = ResultBatches.Split(succeeded, failed, maxBytes: 1000);

        Assert.Equal([0L, 2L], batches.SelectMany(b => b).Select(s => s.Index));
        Assert.Equal([3L, 1L], allFailed.Select(f => f.Index));
        var tooLarge = allFailed[1];
        Assert.Equal((1, Consumer.ResultTooLargeError), (tooLarge.Attempt, tooLarge.ErrorType));
        Assert.Equal("the task's result is 5000 bytes, more than actortasks.tasks.max-result-bytes (1000); split the job into smaller tasks", tooLarge.Message);
    }

    [Fact]
    public void Only_oversized_results_leave_one_empty_batch_to_carry_the_failures()
    {
        var (batches, allFailed) = ResultBatches.Split([Result(0, 5000)], [], maxBytes: 1000);

        Assert.Empty(Assert.Single(batches));
        Assert.Equal(0, Assert.Single(allFailed).Index);
    }
}

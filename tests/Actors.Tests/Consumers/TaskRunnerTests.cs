using ActorTasks.Messages;
using ActorTasks.Tasks.Consumers;
using Xunit;

namespace ActorTasks.Tasks.Tests.Consumers;

public sealed class TaskRunnerTests
{
    [Fact]
    public void A_failure_keeps_the_error_type_and_cuts_a_long_message_so_a_run_of_failures_fits_one_message()
    {
        var item = new WorkItem(7, [], 2);

        var failure = TaskRunner.Failure(item, new InvalidOperationException(new string('m', 1_000_000)));

        Assert.Equal((7L, 2, "System.InvalidOperationException"), (failure.Index, failure.Attempt, failure.ErrorType));
        Assert.Equal(new string('m', TaskRunner.MaxErrorLength) + "…", failure.Message);
        Assert.Equal("short", TaskRunner.Failure(item, new Exception("short")).Message);
    }
}

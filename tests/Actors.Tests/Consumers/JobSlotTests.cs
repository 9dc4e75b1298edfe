using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Consumers;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Tests.Support;
using Xunit;

namespace ActorTasks.Tasks.Tests.Consumers;

public sealed class JobSlotTests
{
    private static JobSlot Slot(params TaskResource[] resources) =>
        new("1", Nobody.Instance, new SquaresKind().Prepare(["1"]), resources);

    [Fact]
    public void The_window_is_one_until_a_task_has_run()
    {
        Assert.Equal(1, Slot().Window(TaskSystemFixture.Settings()));
    }

    [Theory]
    [InlineData(0.000_001, 256)]   // trivial tasks: the whole prefetch
    [InlineData(0.0011, 91)]       // 1.1 ms tasks: 100 ms of work
    [InlineData(0.03, 4)]
    [InlineData(2.0, 1)]           // slow tasks: one at a time, so the last ones spread over every consumer
    public void The_window_holds_about_the_prefetch_time_of_work_within_one_and_the_prefetch(double secondsPerTask, int window)
    {
        var slot = Slot();
        slot.RecordTaskTime(TimeSpan.FromSeconds(secondsPerTask * 10), 10);
        var settings = TaskSystemFixture.Settings(prefetch: 256) with { PrefetchTime = TimeSpan.FromMilliseconds(100) };
        Assert.Equal(window, slot.Window(settings));
    }

    [Fact]
    public void Runs_are_half_the_window_or_single_tasks_when_resources_are_needed()
    {
        var settings = TaskSystemFixture.Settings(prefetch: 64);
        var plain = Slot();
        plain.RecordTaskTime(TimeSpan.FromMilliseconds(1), 1_000);
        Assert.Equal(32, plain.ChunkSize(settings));
        var withDisk = Slot(new TaskResource("disk", 1));
        withDisk.RecordTaskTime(TimeSpan.FromMilliseconds(1), 1_000);
        Assert.Equal(1, withDisk.ChunkSize(settings));
        var perTask = new JobSlot("1", Nobody.Instance, new SquaresKind { ResourcesForTask = _ => [] }.Prepare(["1"]), []);
        perTask.RecordTaskTime(TimeSpan.FromMilliseconds(1), 1_000);
        Assert.Equal(1, perTask.ChunkSize(settings));
    }

    [Fact]
    public void A_tasks_resources_merge_with_the_fixed_ones_by_name_in_ordinal_order()
    {
        var kind = new SquaresKind
        {
            ResourcesForTask = i => [new TaskResource("b", 1, CreatePermits: 4, Wait: TimeSpan.FromSeconds(5)), new TaskResource("B", (int)i), new TaskResource("a", 1)],
        };
        var slot = new JobSlot("1", Nobody.Instance, kind.Prepare(["1"]), [new TaskResource("a", 2), new TaskResource("b", 1)]);

        Assert.Equal(
            [new TaskResource("B", 3), new TaskResource("a", 3), new TaskResource("b", 2, CreatePermits: 4, Wait: TimeSpan.FromSeconds(5))],
            slot.ResourcesFor(new WorkItem(3, SquaresKind.Payload(3), 1)));
        var error = Assert.Throws<InvalidOperationException>(() => slot.ResourcesFor(new WorkItem(0, SquaresKind.Payload(0), 1)));
        Assert.Contains("0 permits of resource 'B'", error.Message);
    }
}

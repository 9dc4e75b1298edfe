using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.Noop;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds;

public sealed class NoopJobKindTests
{
    private readonly NoopJobKind _kind = new();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public async Task Sums_task_indexes_exactly_whatever_order_results_arrive_in(int n)
    {
        var run = await JobHarness.RunShuffledAsync(_kind.Prepare([n.ToString()]), seed: n);
        Assert.Equal(n, run.Tasks);
        Assert.Equal(((long)n * (n - 1) / 2).ToString(), run.Output.Get("sum"));
        Assert.Equal("yes", run.Output.Get("exact"));
    }

    [Fact]
    public async Task A_partial_run_is_not_reported_exact()
    {
        var output = await JobHarness.RunPartialAsync(_kind.Prepare(["10"]), i => i != 3);
        Assert.Equal("9", output.Get("tasks"));
        Assert.Equal("42", output.Get("sum"));
        Assert.Equal("no", output.Get("exact"));
    }

    [Fact]
    public void A_result_that_is_not_the_task_index_makes_the_job_inexact()
    {
        var job = _kind.Prepare(["2"]);
        var reducer = job.CreateReducer();
        reducer.Add(0, BitConverter.GetBytes(1L));
        reducer.Add(1, BitConverter.GetBytes(0L));
        Assert.Equal("1", reducer.Complete().Get("sum"));
        Assert.Equal("no", reducer.Complete().Get("exact"));
    }

    [Fact]
    public void Splits_lazily_so_a_trillion_tasks_cost_nothing_until_pulled()
    {
        var first = _kind.Prepare(["1000000000000"]).Split(CancellationToken.None).Take(3).ToList();
        Assert.Equal(3, first.Count);
    }

    [Theory]
    [InlineData(new string[0], "N")]
    [InlineData(new[] { "-1" }, "N")]
    [InlineData(new[] { "ten" }, "N")]
    [InlineData(new[] { "1", "2" }, "2")]
    [InlineData(new[] { "1", "--fast" }, "--fast")]
    public void Rejects_bad_arguments_naming_them(string[] arguments, string argument) =>
        Assert.Equal(argument, Assert.Throws<JobArgumentException>(() => _kind.Prepare(arguments)).Argument);
}

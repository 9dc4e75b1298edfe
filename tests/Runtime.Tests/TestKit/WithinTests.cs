using ActorTasks.Actor;
using ActorTasks.Testing;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tests.TestKitTests;

public sealed class WithinTests(ITestOutputHelper output) : TestKit(output)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(150);

    [Fact]
    public void Within_passes_and_returns_the_result_when_the_block_finishes_in_time()
    {
        TestActor.Tell("quick", Nobody.Instance);

        var result = Within(TimeSpan.FromSeconds(3), () => ExpectMsg<string>());

        Assert.Equal("quick", result);
    }

    [Fact]
    public void Within_fails_when_the_block_is_faster_than_min()
    {
        var e = Assert.Throws<TestKitAssertionException>(() => Within(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), () => { }));

        Assert.Matches(@"^Within: the block took \d+ ms, less than the minimum of 1000 ms$", e.Message);
    }

    [Fact]
    public void Within_fails_when_the_block_takes_longer_than_max()
    {
        var e = Assert.Throws<TestKitAssertionException>(() => Within(Short, () =>
        {
            ExpectNoMsg(Short * 2);
            TestActor.Tell("late", Nobody.Instance);
            ExpectMsg<string>(timeout: TimeSpan.FromSeconds(3));
        }));

        Assert.Matches($@"^Within: the block took \d+ ms, more than the maximum of {Dilated(Short).TotalMilliseconds:0} ms$", e.Message);
        Assert.True(FailureText.Ms(e.Message, "took") > Dilated(Short).TotalMilliseconds);
    }

    [Fact]
    public void Inside_Within_expectations_default_to_the_time_left()
    {
        var e = Assert.Throws<TestKitAssertionException>(() => Within(Short, () => ExpectMsg<string>()));

        Assert.StartsWith("ExpectMsg<String>: timed out after ", e.Message);
        Assert.InRange(FailureText.Ms(e.Message, "after"), 0, (int)Dilated(Short).TotalMilliseconds);
    }

    [Fact]
    public void Remaining_counts_down_inside_Within_and_is_undefined_outside()
    {
        Within(TimeSpan.FromSeconds(2), () =>
        {
            Assert.InRange(Remaining, TimeSpan.FromSeconds(1), Dilated(TimeSpan.FromSeconds(2)));
            Assert.Equal(Remaining.TotalSeconds, RemainingOrDefault.TotalSeconds, 1);
        });

        Assert.Throws<InvalidOperationException>(() => Remaining);
        Assert.Equal(DefaultTimeout, RemainingOrDefault);
    }

    [Fact]
    public void A_nested_Within_cannot_outlast_the_enclosing_one()
    {
        Within(TimeSpan.FromSeconds(1), () =>
        {
            Within(TimeSpan.FromSeconds(10), () => Assert.True(Remaining <= Dilated(TimeSpan.FromSeconds(1))));

            var e = Assert.Throws<TestKitAssertionException>(() => Within(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), () => { }));
            Assert.StartsWith("Within: a block of at least 5000 ms cannot fit, only ", e.Message);
        });
    }

    [Fact]
    public void ExpectNoMsg_inside_Within_listens_until_the_deadline_without_failing_it()
    {
        Within(Short, () => ExpectNoMsg());
    }

    [Fact]
    public void Within_rejects_an_async_body_it_cannot_time()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            _ = Within(TimeSpan.FromSeconds(1), async () => await Task.Yield());
        });

        Assert.Contains("use WithinAsync", e.Message);
    }

    [Fact]
    public async Task WithinAsync_times_an_async_body()
    {
        TestActor.Tell(1, Nobody.Instance);

        var n = await WithinAsync(TimeSpan.FromSeconds(3), async () => await ExpectMsgAsync<int>());

        Assert.Equal(1, n);
    }

    [Fact]
    public async Task WithinAsync_fails_when_the_body_is_faster_than_min()
    {
        var e = await Assert.ThrowsAsync<TestKitAssertionException>(
            () => WithinAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), () => Task.CompletedTask));

        Assert.StartsWith("Within: the block took ", e.Message);
    }
}

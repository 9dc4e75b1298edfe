using System.Diagnostics;
using System.Runtime.CompilerServices;
using ActorTasks.Actor;
using ActorTasks.Testing;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ActorTasks.Tests.TestKitTests;

public sealed class AwaitTests(ITestOutputHelper output) : TestKit(output)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private StrongBox<int> CountMessages(int messages)
    {
        var counter = new StrongBox<int>();
        var actor = Sys.ActorOf(Props.Create(() => new CountingActor(counter)));
        for (var i = 0; i < messages; i++) actor.Tell(i, Nobody.Instance);
        return counter;
    }

    [Fact]
    public void AwaitAssert_passes_once_the_assertion_holds()
    {
        var counter = CountMessages(3);

        AwaitAssert(() => Assert.Equal(3, Volatile.Read(ref counter.Value)), interval: Poll);
    }

    [Fact]
    public void AwaitAssert_fails_with_the_last_assertion_error_after_the_duration()
    {
        var attempts = 0;
        var watch = Stopwatch.StartNew();

        var e = Assert.Throws<TestKitAssertionException>(() => AwaitAssert(() =>
        {
            attempts++;
            Assert.Equal(1, 2);
        }, Short, Poll));

        Assert.Matches($@"^AwaitAssert: the assertion still failed after \d+ ms \({attempts} attempts, limit {Dilated(Short).TotalMilliseconds:0} ms\): ", e.Message);
        Assert.IsType<EqualException>(e.InnerException);
        Assert.True(attempts > 1, "the assertion should have been retried");
        Assert.True(watch.Elapsed >= Dilated(Short) - TimeSpan.FromMilliseconds(20), $"gave up after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task AwaitAssertAsync_retries_an_async_assertion()
    {
        var counter = CountMessages(2);

        await AwaitAssertAsync(async () =>
        {
            await Task.Yield();
            Assert.Equal(2, Volatile.Read(ref counter.Value));
        }, interval: Poll);
    }

    [Fact]
    public void AwaitCondition_passes_once_the_condition_is_true()
    {
        var counter = CountMessages(5);

        AwaitCondition(() => Volatile.Read(ref counter.Value) == 5, interval: Poll);
    }

    [Fact]
    public void AwaitCondition_fails_quoting_the_message_and_the_time_it_waited()
    {
        var e = Assert.Throws<TestKitAssertionException>(() => AwaitCondition(() => false, Short, "the counter reaches 5", Poll));

        Assert.Matches($@"^AwaitCondition: ""the counter reaches 5"" was still false after \d+ ms \(\d+ checks, limit {Dilated(Short).TotalMilliseconds:0} ms\)$", e.Message);
        Assert.True(FailureText.Ms(e.Message, "after") >= Dilated(Short).TotalMilliseconds - 20);
    }

    [Fact]
    public async Task AwaitConditionAsync_fails_without_a_message_naming_the_condition_generically()
    {
        var e = await Assert.ThrowsAsync<TestKitAssertionException>(() => AwaitConditionAsync(() => Task.FromResult(false), Short, interval: Poll));

        Assert.StartsWith("AwaitCondition: the condition was still false after ", e.Message);
    }
}

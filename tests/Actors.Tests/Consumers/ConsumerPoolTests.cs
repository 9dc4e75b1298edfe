using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Consumers;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Tests.Support;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tasks.Tests.Consumers;

public sealed class ConsumerPoolTests(ITestOutputHelper output) : TestKit(TaskSystemFixture.Config(), output: output)
{
    [Fact]
    public void Starts_the_configured_number_of_consumers_and_each_registers()
    {
        var manager = CreateTestProbe();
        var pool = Sys.ActorOf(ConsumerPool.Props(manager.Ref, null, new JobKindRegistry(), TaskSystemFixture.Settings(consumers: 3)));

        var registered = Enumerable.Range(0, 3).Select(_ => manager.ExpectMsg<RegisterConsumer>().Consumer).ToHashSet();
        pool.Tell(GetConsumers.Instance, TestActor);
        var consumers = ExpectMsg<PoolConsumers>().Consumers;

        Assert.Equal(3, consumers.Count);
        Assert.True(registered.SetEquals(consumers));
    }

    [Fact]
    public void A_consumer_that_dies_is_replaced_by_a_fresh_one()
    {
        var manager = CreateTestProbe();
        var pool = Sys.ActorOf(ConsumerPool.Props(manager.Ref, null, new JobKindRegistry(), TaskSystemFixture.Settings(consumers: 2)));
        manager.ExpectMsg<RegisterConsumer>();
        manager.ExpectMsg<RegisterConsumer>();
        pool.Tell(GetConsumers.Instance, TestActor);
        var before = ExpectMsg<PoolConsumers>().Consumers;

        before[0].Tell(Kill.Instance, TestActor);

        var replacement = manager.FishForMessage<RegisterConsumer>(r => !before.Contains(r.Consumer)).Consumer;
        pool.Tell(GetConsumers.Instance, TestActor);
        var after = ExpectMsg<PoolConsumers>().Consumers;
        Assert.Equal(2, after.Count);
        Assert.Contains(replacement, after);
        Assert.DoesNotContain(before[0], after);
    }
}

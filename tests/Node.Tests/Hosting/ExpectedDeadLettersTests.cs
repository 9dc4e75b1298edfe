using Akka.Actor;
using Akka.Event;
using Akka.TestKit.Xunit2;
using ActorTasks.Messages;
using ActorTasks.Node.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.Hosting;

/// <summary>Results and progress that arrive after their receiver has stopped are expected: DEBUG, not dead-letter noise at INFO.</summary>
public sealed class ExpectedDeadLettersTests(ITestOutputHelper output) : TestKit("akka.loglevel = DEBUG", output: output)
{
    private IActorRef StoppedActor()
    {
        var actor = Sys.ActorOf(Props.Empty);
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        return actor;
    }

    [Fact]
    public void Results_for_a_stopped_producer_and_progress_for_a_gone_watcher_are_suppressed_dead_letters_logged_at_debug()
    {
        var logger = Sys.ActorOf(Props.Create(() => new ExpectedDeadLetters()));
        logger.Tell(new Identify(null), TestActor);
        ExpectMsg<ActorIdentity>(); // subscribed
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(AllDeadLetters));
        var producer = StoppedActor();

        EventFilter.Debug(contains: "TaskResults of job 7 reached").ExpectOne(TimeSpan.FromSeconds(20), () =>
            producer.Tell(new TaskResults("7", [], [], null, 1), TestActor));
        Assert.IsType<SuppressedDeadLetter>(deadLetters.ExpectMsg<AllDeadLetters>(TimeSpan.FromSeconds(20)));

        EventFilter.Debug(contains: "JobProgress of job 7 reached").ExpectOne(TimeSpan.FromSeconds(20), () =>
            producer.Tell(new JobProgress("7", 1, 0, 2, 0, null, TimeSpan.Zero, new Dictionary<string, long>(), new Dictionary<string, long>()), TestActor));
        Assert.IsType<SuppressedDeadLetter>(deadLetters.ExpectMsg<AllDeadLetters>(TimeSpan.FromSeconds(20)));
    }
}

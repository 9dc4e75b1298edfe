using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.Tests.Support;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;
using static ActorTasks.Tasks.Tests.Support.TaskSystemFixture;

namespace ActorTasks.Tasks.Tests.Jobs;

/// <summary>
/// A job manager with a journal (Akka.Persistence, the in-memory journal of the test's actor system), stopped and
/// started again on the same journal as a restarted seed would be. Akka.Persistence's own internal messages are not
/// serializable, so these tests do not check every message through the serializer (the other tests do).
/// </summary>
public sealed class JobManagerJournalTests(ITestOutputHelper output)
    : TestKit(Akka.Configuration.ConfigurationFactory.ParseString("akka.actor.serialize-messages = off")
        .WithFallback(SwitchableJournal.Config).WithFallback(TaskSystemFixture.Config()), output: output)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(20);
    private int _incarnation;

    private TaskSystemActors StartSeed(TaskSystemSettings settings, params ActorTasks.Tasks.JobKinds.IJobKind[] kinds) =>
        StartNamed(Sys, settings, $"{++_incarnation}", kinds);

    // Tasks from index `from` on wait until cancelled: the job stays half done.
    private static SquaresKind BlockedFrom(long from, bool resumable = true, string name = "squares") => new(name)
    {
        Resumable = resumable,
        Hook = (i, _, ctx) => i >= from ? Task.Delay(Timeout.Infinite, ctx.CancellationToken) : Task.CompletedTask,
    };

    private JobProgress AwaitDone(IActorRef manager, string jobId, long done)
    {
        var probe = CreateTestProbe();
        manager.Tell(new WatchJob(jobId), probe);
        return probe.FishForMessage<JobProgress>(p => p.Done >= done, JobTimeout);
    }

    private JobFinished AwaitEnd(IActorRef manager, string jobId)
    {
        var probe = CreateTestProbe();
        manager.Tell(new WatchJob(jobId), probe);
        return probe.FishForMessage<JobFinished>(_ => true, JobTimeout);
    }

    [Fact]
    public async Task A_finished_job_and_its_results_outlive_the_manager_and_numbers_go_on()
    {
        var seed = StartSeed(Durable(), new SquaresKind());
        seed.JobManager.Tell(Submit("squares", 10), TestActor);
        Assert.Equal("1", ExpectMsg<JobAccepted>(JobTimeout).JobId);
        var first = ExpectMsg<JobFinished>(JobTimeout);
        Assert.Equal(SquaresKind.SumOfSquares(10), Sum(first));
        await StopAsync(seed);

        var again = StartSeed(Durable(), new SquaresKind());
        again.JobManager.Tell(new GetJobResults("1"), TestActor);
        var kept = ExpectMsg<JobFinished>(JobTimeout);
        Assert.Equal(JobState.Completed, kept.State);
        Assert.Equal(SquaresKind.SumOfSquares(10), Sum(kept));
        Assert.Equal(first.Lines, kept.Lines);
        Assert.Equal(10, kept.Done);

        again.JobManager.Tell(Submit("squares", 2), TestActor);
        Assert.Equal("2", ExpectMsg<JobAccepted>(JobTimeout).JobId);
        ExpectMsg<JobFinished>(JobTimeout);
        again.JobManager.Tell(ListJobs.Instance, TestActor);
        Assert.Equal(["1", "2"], ExpectMsg<JobList>(JobTimeout).Jobs.Select(j => j.JobId));
    }

    [Fact]
    public async Task Jobs_the_manager_forgot_stay_forgotten_after_a_restart_and_their_numbers_are_not_given_again()
    {
        var settings = Durable() with { FinishedJobsKept = 1 };
        var seed = StartSeed(settings, new SquaresKind());
        for (var n = 1; n <= 3; n++)
        {
            seed.JobManager.Tell(Submit("squares", n), TestActor);
            ExpectMsg<JobAccepted>(JobTimeout);
            ExpectMsg<JobFinished>(JobTimeout);
        }
        await StopAsync(seed);

        var again = StartSeed(settings, new SquaresKind());
        again.JobManager.Tell(ListJobs.Instance, TestActor);
        Assert.Equal(["3"], ExpectMsg<JobList>(JobTimeout).Jobs.Select(j => j.JobId));
        again.JobManager.Tell(Submit("squares", 1), TestActor);
        Assert.Equal("4", ExpectMsg<JobAccepted>(JobTimeout).JobId);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(2)]
    public async Task An_unfinished_job_resumes_from_its_last_saved_results_and_no_saved_task_runs_again(int snapshotEvery)
    {
        var first = BlockedFrom(30);
        var seed = StartSeed(Durable(snapshotEvery: snapshotEvery), first);
        seed.JobManager.Tell(Submit("squares", 50), TestActor);
        ExpectMsg<JobAccepted>(JobTimeout);
        // A result is counted (reduced) once the journal holds it.
        AwaitDone(seed.JobManager, "1", 20);
        await StopAsync(seed);
        var saved = first.Log.Reduced.Keys.ToHashSet();
        Assert.InRange(saved.Count, 20, 30);

        var kind = new SquaresKind();
        var again = StartSeed(Durable(snapshotEvery: snapshotEvery), kind);
        var finished = AwaitEnd(again.JobManager, "1");

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(SquaresKind.SumOfSquares(50), Sum(finished));
        Assert.Equal(50, finished.Done);
        var rerun = kind.Log.Starts.Select(s => s.Index).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i).Where(i => !saved.Contains(i)), rerun);
        // Handed out again: at least every task that started in both runs, at most those the one consumer's window of 4
        // could have held beyond the 30 that were let finish.
        var status = await again.JobManager.Ask<JobStatusReport>(new GetJobStatus("1"), JobTimeout);
        var startedTwice = rerun.Count(first.Log.Starts.Select(s => s.Index).Contains);
        Assert.InRange(status.RunAgain, Math.Max(1, startedTwice), rerun.Count(i => i < 30 + 4));
    }

    [Fact]
    public async Task A_resumed_job_whose_task_journal_cannot_be_read_waits_for_it_and_then_runs_no_saved_task_again()
    {
        var first = BlockedFrom(30);
        var seed = StartSeed(Durable(), first);
        seed.JobManager.Tell(Submit("squares", 50), TestActor);
        ExpectMsg<JobAccepted>(JobTimeout);
        AwaitDone(seed.JobManager, "1", 20);
        await StopAsync(seed);
        var saved = first.Log.Reduced.Keys.ToHashSet();

        var journal = SwitchableJournal.Of(Sys);
        journal.Tell(new SwitchableJournal.FailReads("actortasks-job-"), TestActor);
        ExpectMsg<SwitchableJournal.FailReads>();
        var kind = new SquaresKind();
        TaskSystemActors again = default!;
        // The job's own journal cannot be read: the job waits for it rather than start over from its first task.
        await EventFilter.Error(contains: "its journal cannot be read; the job waits").ExpectAsync(2, () =>
        {
            again = StartSeed(Durable(), kind);
            return Task.CompletedTask;
        }, JobTimeout);
        Assert.Empty(kind.Log.Starts);

        journal.Tell(new SwitchableJournal.FailReads(null), TestActor);
        ExpectMsg<SwitchableJournal.FailReads>();
        var finished = AwaitEnd(again.JobManager, "1");

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(SquaresKind.SumOfSquares(50), Sum(finished));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i).Where(i => !saved.Contains(i)), kind.Log.Starts.Select(s => s.Index).Order());
    }

    [Fact]
    public async Task A_kind_whose_reducer_cannot_be_saved_resumes_its_job_from_the_first_task()
    {
        var seed = StartSeed(Durable(), BlockedFrom(5, resumable: false));
        seed.JobManager.Tell(Submit("squares", 10), TestActor);
        ExpectMsg<JobAccepted>(JobTimeout);
        AwaitDone(seed.JobManager, "1", 5);
        await StopAsync(seed);

        var kind = new SquaresKind { Resumable = false };
        var again = StartSeed(Durable(), kind);
        var finished = AwaitEnd(again.JobManager, "1");

        Assert.Equal(SquaresKind.SumOfSquares(10), Sum(finished));
        Assert.Equal(10, kind.Log.Starts.Count);
    }

    [Fact]
    public async Task A_journaled_job_whose_kind_is_gone_fails_saying_so_and_stays_failed()
    {
        var seed = StartSeed(Durable(), BlockedFrom(0, name: "vanished"), new SquaresKind());
        seed.JobManager.Tell(new SubmitJob("vanished", ["3"], JobOptions.Default), TestActor);
        ExpectMsg<JobAccepted>(JobTimeout);
        await StopAsync(seed);

        var again = StartSeed(Durable(), new SquaresKind());
        var failed = AwaitEnd(again.JobManager, "1");
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal("could not be started again after a restart: job kind 'vanished' is not loaded on this node", failed.Reason);
        await StopAsync(again);

        var third = StartSeed(Durable(), new SquaresKind());
        third.JobManager.Tell(new GetJobResults("1"), TestActor);
        Assert.Equal(failed.Reason, ExpectMsg<JobFinished>(JobTimeout).Reason);
    }

    [Fact]
    public void The_submitter_hears_that_a_job_was_accepted_before_how_it_ended()
    {
        var seed = StartSeed(Durable(consumers: 3), new SquaresKind());
        for (var i = 0; i < 5; i++)
        {
            // A job of no tasks ends at once, usually before the journal has written its acceptance.
            seed.JobManager.Tell(Submit("squares", 0), TestActor);
            var accepted = ExpectMsg<JobAccepted>(JobTimeout);
            Assert.Equal(accepted.JobId, ExpectMsg<JobFinished>(JobTimeout).JobId);
        }
    }

    [Fact]
    public async Task Messages_sent_while_the_journal_is_read_wait_for_it()
    {
        var seed = StartSeed(Durable(), new SquaresKind());
        for (var n = 1; n <= 3; n++)
        {
            seed.JobManager.Tell(Submit("squares", 1), TestActor);
            ExpectMsg<JobAccepted>(JobTimeout);
            ExpectMsg<JobFinished>(JobTimeout);
        }
        await StopAsync(seed);

        var again = StartSeed(Durable(), new SquaresKind());
        // Sent at once: had the manager answered before reading the journal, it would list nothing.
        again.JobManager.Tell(ListJobs.Instance, TestActor);
        Assert.Equal(["1", "2", "3"], ExpectMsg<JobList>(JobTimeout).Jobs.Select(j => j.JobId));
        again.JobManager.Tell(Submit("squares", 1), TestActor);
        Assert.Equal("4", ExpectMsg<JobAccepted>(JobTimeout).JobId);
    }

    [Fact]
    public async Task While_the_journal_cannot_write_new_jobs_are_refused_saying_why_running_ones_go_on_and_it_recovers()
    {
        var release = new TaskCompletionSource();
        var kind = new SquaresKind { Hook = (i, _, _) => i >= 5 ? release.Task : Task.CompletedTask };
        var seed = StartSeed(Durable(), kind);
        var submitter = CreateTestProbe();
        seed.JobManager.Tell(Submit("squares", 20), submitter);
        submitter.ExpectMsg<JobAccepted>(JobTimeout);
        AwaitDone(seed.JobManager, "1", 5);

        var journal = SwitchableJournal.Of(Sys);
        journal.Tell(new SwitchableJournal.FailWrites(true), TestActor);
        ExpectMsg<SwitchableJournal.FailWrites>();
        release.SetResult();
        // The running job goes on, counting in memory.
        var finished = AwaitEnd(seed.JobManager, "1");
        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(SquaresKind.SumOfSquares(20), Sum(finished));

        // Its end could not be written either; a new job is refused, naming the journal's error.
        var refused = await AwaitRejectionAsync(seed.JobManager);
        Assert.Contains("the job journal is not available", refused.Reason);
        Assert.Contains("No space left on device", refused.Reason);

        journal.Tell(new SwitchableJournal.FailWrites(false), TestActor);
        ExpectMsg<SwitchableJournal.FailWrites>();
        // The manager tries the journal again with backoff, and accepts jobs once it writes.
        JobAccepted? accepted = null;
        await AwaitConditionAsync(async () =>
        {
            accepted = await seed.JobManager.Ask<object>(Submit("squares", 3), JobTimeout) as JobAccepted;
            return accepted is not null;
        }, JobTimeout, TimeSpan.FromMilliseconds(300));
        AwaitEnd(seed.JobManager, accepted!.JobId);
        await StopAsync(seed);

        // What happened while it could not write is in the journal too: job 1 ended, and numbers go on past the refused ones.
        var again = StartSeed(Durable(), new SquaresKind());
        again.JobManager.Tell(new GetJobResults("1"), TestActor);
        Assert.Equal(SquaresKind.SumOfSquares(20), Sum(ExpectMsg<JobFinished>(JobTimeout)));
        again.JobManager.Tell(new GetJobResults(accepted.JobId), TestActor);
        Assert.Equal(JobState.Completed, ExpectMsg<JobFinished>(JobTimeout).State);
        again.JobManager.Tell(Submit("squares", 1), TestActor);
        Assert.True(long.Parse(ExpectMsg<JobAccepted>(JobTimeout).JobId) > long.Parse(accepted.JobId));
    }

    private async Task<JobRejected> AwaitRejectionAsync(IActorRef manager)
    {
        JobRejected? rejected = null;
        await AwaitConditionAsync(async () =>
        {
            rejected = await manager.Ask<object>(Submit("squares", 1), JobTimeout) switch
            {
                JobRejected r => r,
                JobAccepted a => null,
                var other => throw new InvalidOperationException($"unexpected {other}"),
            };
            return rejected is not null;
        }, JobTimeout, TimeSpan.FromMilliseconds(100));
        return rejected!;
    }
}

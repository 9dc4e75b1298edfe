using Akka.Actor;
using Akka.Event;
using ActorTasks.Messages;
using ActorTasks.Tasks.Jobs;
using ActorTasks.Tasks.Tests.JobKinds;
using ActorTasks.Tasks.Tests.Support;
using Microsoft.Data.Sqlite;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;
using static ActorTasks.Tasks.Tests.Support.TaskSystemFixture;

namespace ActorTasks.Tasks.Tests.Jobs;

/// <summary>A job manager with a journal, stopped and started again as a seed would be.</summary>
public sealed class JobManagerJournalTests(ITestOutputHelper output) : TestKit(TaskSystemFixture.Config(), output: output)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _folder = new();

    private string File => Path.Combine(_folder.Path, "jobs.db");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private JobJournal OpenJournal() => JobJournal.Open(File, Logging.GetLogger(Sys, "journal"));

    // A seed's task system in a system of its own, stopped (as a seed process ends) before the journal is closed.
    private async Task<T> WithSeedAsync<T>(SquaresKind kind, Func<TaskSystemActors, Task<T>> body)
    {
        using var journal = OpenJournal();
        var seed = ActorSystem.Create("seed", TaskSystemFixture.Config());
        try
        {
            return await body(Start(seed, Settings(consumers: 1), journal, kind));
        }
        finally
        {
            await seed.Terminate().WaitAsync(JobTimeout);
        }
    }

    [Fact]
    public async Task A_finished_job_and_its_results_outlive_the_manager_and_numbers_go_on()
    {
        var first = await WithSeedAsync(new SquaresKind(), async actors =>
        {
            Assert.Equal("1", (await actors.JobManager.Ask<JobAccepted>(Submit("squares", 10), JobTimeout)).JobId);
            return await ResultsAsync(actors.JobManager, "1");
        });
        Assert.Equal(SquaresKind.SumOfSquares(10), Sum(first));

        using var journal = OpenJournal();
        var actors = Start(Sys, Settings(consumers: 1), journal, new SquaresKind());
        actors.JobManager.Tell(new GetJobResults("1"), TestActor);
        var kept = ExpectMsg<JobFinished>(JobTimeout);
        Assert.Equal(JobState.Completed, kept.State);
        Assert.Equal(SquaresKind.SumOfSquares(10), Sum(kept));
        Assert.Equal(first.Done, kept.Done);

        actors.JobManager.Tell(Submit("squares", 2), TestActor);
        Assert.Equal("2", ExpectMsg<JobAccepted>().JobId);
        ExpectMsg<JobFinished>(JobTimeout);
        actors.JobManager.Tell(ListJobs.Instance, TestActor);
        Assert.Equal(["1", "2"], ExpectMsg<JobList>(JobTimeout).Jobs.Select(j => j.JobId));
    }

    // The job's results once it has ended (until then the manager answers with its status).
    private async Task<JobFinished> ResultsAsync(IActorRef manager, string jobId)
    {
        JobFinished? finished = null;
        await AwaitConditionAsync(async () =>
        {
            finished = await manager.Ask<object>(new GetJobResults(jobId), JobTimeout) as JobFinished;
            return finished is not null;
        }, JobTimeout);
        return finished!;
    }

    [Fact]
    public async Task Jobs_the_manager_forgot_stay_forgotten_after_a_restart()
    {
        using (var journal = OpenJournal())
        {
            var seed = ActorSystem.Create("seed", TaskSystemFixture.Config());
            var actors = Start(seed, Settings() with { FinishedJobsKept = 1 }, journal, new SquaresKind());
            for (var n = 1; n <= 3; n++)
            {
                await actors.JobManager.Ask<JobAccepted>(Submit("squares", n), JobTimeout);
                await ResultsAsync(actors.JobManager, $"{n}");
            }
            await seed.Terminate().WaitAsync(JobTimeout);
        }

        using var reopened = OpenJournal();
        // Deleted from the file, not only trimmed again when it is read.
        Assert.Equal([3L], (await reopened.LoadAsync()).Jobs.Select(j => j.Number));
        var again = Start(Sys, Settings() with { FinishedJobsKept = 1 }, reopened, new SquaresKind());
        again.JobManager.Tell(ListJobs.Instance, TestActor);
        Assert.Equal(["3"], ExpectMsg<JobList>(JobTimeout).Jobs.Select(j => j.JobId));
        again.JobManager.Tell(Submit("squares", 1), TestActor);
        Assert.Equal("4", ExpectMsg<JobAccepted>(JobTimeout).JobId);
    }

    [Fact]
    public async Task A_job_that_had_not_finished_runs_again_from_its_first_task()
    {
        var stuck = new SquaresKind { Hook = (_, _, ctx) => Task.Delay(Timeout.Infinite, ctx.CancellationToken) };
        await WithSeedAsync(stuck, async actors =>
        {
            await actors.JobManager.Ask<JobAccepted>(Submit("squares", 5), JobTimeout);
            await AwaitConditionAsync(() => Task.FromResult(!stuck.Log.Starts.IsEmpty), JobTimeout);
            return true;
        });

        var kind = new SquaresKind();
        using var journal = OpenJournal();
        var actors = Start(Sys, Settings(consumers: 1), journal, kind);
        actors.JobManager.Tell(new WatchJob("1"), TestActor);
        var finished = FishForMessage<JobFinished>(_ => true, JobTimeout);

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(SquaresKind.SumOfSquares(5), Sum(finished));
        Assert.Equal(5, kind.Log.Starts.Count);
    }

    [Fact]
    public async Task A_journaled_job_whose_kind_is_gone_fails_saying_so_and_stays_failed()
    {
        using (var journal = OpenJournal())
            await journal.RecordStartedAsync(new JournaledJob(1, new SubmitJob("vanished", ["x"], JobOptions.Default), DateTimeOffset.UtcNow));

        using (var journal = OpenJournal())
        {
            var seed = ActorSystem.Create("seed", TaskSystemFixture.Config());
            var actors = Start(seed, Settings(consumers: 1), journal, new SquaresKind());
            var status = await actors.JobManager.Ask<JobFinished>(new GetJobResults("1"), JobTimeout);
            Assert.Equal(JobState.Failed, status.State);
            Assert.Equal("could not be started again after a restart: job kind 'vanished' is not loaded on this node", status.Reason);
            await seed.Terminate().WaitAsync(JobTimeout);
        }

        using var again = OpenJournal();
        var snapshot = await again.LoadAsync();
        Assert.Equal(JobState.Failed, Assert.Single(snapshot.Jobs).Finished?.State);
    }

    [Fact]
    public async Task A_journal_that_cannot_be_read_is_left_as_it_was_and_the_manager_still_runs_jobs()
    {
        using (var journal = OpenJournal())
        {
            await journal.RecordStartedAsync(new JournaledJob(1, Submit("squares", 3), DateTimeOffset.UtcNow));
            await journal.RecordFinishedAsync(1, new JobFinished("1", JobState.Completed, [new("sum", "5")], [], 3, 0, 3, [], null, TimeSpan.Zero),
                null, DateTimeOffset.UtcNow);
        }
        // Rows are read one by one (a damaged one is skipped), but a last number that is not a number fails the read.
        Sql("UPDATE meta SET value = 'many'");

        using (var broken = OpenJournal())
        {
            var actors = Start(Sys, Settings(), broken, new SquaresKind());
            actors.JobManager.Tell(Submit("squares", 4), TestActor);
            Assert.Equal("1", ExpectMsg<JobAccepted>(JobTimeout).JobId);
            Assert.Equal(SquaresKind.SumOfSquares(4), Sum(ExpectMsg<JobFinished>(JobTimeout)));
        }

        // Had the manager journaled its new job 1, it would have replaced (or clashed with) the one the file holds.
        Assert.Equal("1|5", Sql("SELECT group_concat(number || '|' || json_extract(finished, '$.Summary[0].Value')) FROM jobs"));
        Assert.Equal("many", Sql("SELECT value FROM meta"));
    }

    private string? Sql(string statement)
    {
        using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = statement;
        return command.ExecuteScalar()?.ToString();
    }

    [Fact]
    public void The_submitter_hears_that_a_job_was_accepted_before_how_it_ended()
    {
        using var journal = OpenJournal();
        var actors = Start(Sys, Settings(), journal, new SquaresKind());
        for (var i = 0; i < 5; i++)
        {
            // A job of no tasks ends at once, usually before the journal has written its start.
            actors.JobManager.Tell(Submit("squares", 0), TestActor);
            var accepted = ExpectMsg<JobAccepted>(JobTimeout);
            Assert.Equal(accepted.JobId, ExpectMsg<JobFinished>(JobTimeout).JobId);
        }
    }

    [Fact]
    public async Task Messages_sent_while_the_journal_is_read_wait_for_it()
    {
        using (var journal = OpenJournal())
        {
            for (var n = 1; n <= 3; n++)
            {
                await journal.RecordStartedAsync(new JournaledJob(n, Submit("squares", 1), DateTimeOffset.UtcNow));
                await journal.RecordFinishedAsync(n, new JobFinished($"{n}", JobState.Completed, [new("sum", "0")], [], 1, 0, 1, [], null, TimeSpan.Zero),
                    null, DateTimeOffset.UtcNow);
            }
        }

        using var reopened = OpenJournal();
        var actors = Start(Sys, Settings(), reopened, new SquaresKind());
        // Sent at once: had the manager answered before reading the journal, it would list nothing and number this 1.
        actors.JobManager.Tell(ListJobs.Instance, TestActor);
        actors.JobManager.Tell(Submit("squares", 1), TestActor);
        Assert.Equal(["1", "2", "3"], ExpectMsg<JobList>(JobTimeout).Jobs.Select(j => j.JobId));
        Assert.Equal("4", ExpectMsg<JobAccepted>(JobTimeout).JobId);
    }
}

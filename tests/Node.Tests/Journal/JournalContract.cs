using ActorTasks.Messages;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Jobs;
using ActorTasks.Node.Tests.Support;
using Akka.Actor;
using Xunit;

namespace ActorTasks.Node.Tests.Journal;

/// <summary>
/// What a seed's job journal promises, whatever stores it: jobs and their results outlive the seed, an unfinished job
/// resumes from its last settled task with the single-threaded result, and a seed that takes over the job manager from
/// another on the same journal carries the job on. Each store runs it through a subclass that makes new, empty journals.
/// </summary>
public abstract class JournalContract : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Two consumers of eight tasks each: the window of tasks in flight that a stop may cost.
    protected const int Consumers = 2, Prefetch = 8;

    protected string Folder { get; } = Directory.CreateTempSubdirectory("actortasks-journal-").FullName;

    /// <summary>Settings under <c>actortasks.tasks</c> that name a new, empty journal of this store.</summary>
    protected abstract Task<string> NewJournalAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    protected NodeConfig SeedConfig(string journal, bool consumers = true) => InProcessNodes.Config("seed", Path.Combine(Folder, "logs"), $$"""
        actortasks.tasks {
          run-consumers = {{(consumers ? "on" : "off")}}
          consumers-per-node = {{Consumers}}
          prefetch = {{Prefetch}}
          {{journal}}
        }
        """);

    protected Task<NodeHost> StartSeedAsync(string journal, bool consumers = true, SeedEndpoint? join = null) =>
        NodeHost.StartAsync(NodeRole.Seed, SeedConfig(journal, consumers), join, CancellationToken.None);

    protected static JobCommands Commands(NodeHost seed) => new(seed.System, seed.JobManager, seed.ResourceManager, Timeout);

    protected static async Task<JobAccepted> SubmitAsync(NodeHost seed, string kind, params string[] arguments) =>
        Assert.IsType<JobAccepted>(await Commands(seed).SubmitAsync(kind, arguments, JobOptions.Default, CancellationToken.None).WaitAsync(Timeout));

    protected static async Task<JobFinished> WaitForEndAsync(NodeHost seed, string jobId) =>
        Assert.IsType<JobFinished>(await Commands(seed).WatchAsync(jobId, TextWriter.Null, CancellationToken.None).WaitAsync(Timeout));

    protected static async Task<JobStatusReport> StatusAsync(NodeHost seed, string jobId) =>
        Assert.IsType<JobStatusReport>(await seed.JobManager.Ask<object>(new GetJobStatus(jobId), Timeout));

    [SkippableFact]
    public async Task A_restarted_seed_keeps_its_finished_jobs_their_results_and_its_numbering()
    {
        var journal = await NewJournalAsync();
        JobFinished first;
        await using (var seed = await StartSeedAsync(journal))
        {
            Assert.Equal("1", (await SubmitAsync(seed, "primes", "0", "100000", "--chunk", "20000")).JobId);
            first = await WaitForEndAsync(seed, "1");
            Assert.Equal(JobState.Completed, first.State);
        }

        await using var again = await StartSeedAsync(journal);
        var kept = Assert.IsType<JobFinished>(await again.JobManager.Ask<object>(new GetJobResults("1"), Timeout));
        Assert.Equal(first.Summary, kept.Summary);
        Assert.Contains(kept.Summary, kv => kv.Key == "count" && kv.Value == "9592");
        Assert.Equal("2", (await SubmitAsync(again, "primes", "0", "1000")).JobId);
    }

    [SkippableFact]
    public async Task An_unfinished_job_resumes_from_its_last_settled_task_and_ends_with_the_single_threaded_result()
    {
        var journal = await NewJournalAsync();
        const int tasks = 200, rounds = 10_000;
        var expected = Task.Run(() => HashDigest.SingleThreaded(tasks, rounds));
        JobProgress atStop;
        await using (var seed = await StartSeedAsync(journal))
        {
            await SubmitAsync(seed, "hash", $"{tasks}", "--rounds", $"{rounds}");
            atStop = await JobProgressWaiter.WaitAsync(seed.System, seed.JobManager, "1", p => p.Done >= tasks / 4, Timeout);
        }

        await using var again = await StartSeedAsync(journal);
        // The first progress the restarted seed gives is what its journal held: at least what was done before the stop.
        var resumed = await JobProgressWaiter.WaitAsync(again.System, again.JobManager, "1", _ => true, Timeout);
        var finished = await WaitForEndAsync(again, "1");

        Assert.InRange(resumed.Done, atStop.Done, tasks);
        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal((tasks, 0L), (finished.Done, finished.Failed));
        Assert.Contains(finished.Summary, kv => kv.Key == "digest" && kv.Value == expected.Result);
        // Only tasks that were in flight at the stop were handed out again.
        Assert.InRange((await StatusAsync(again, "1")).RunAgain, 0, Consumers * Prefetch);
    }

    [SkippableFact]
    public async Task A_seed_that_takes_over_the_job_manager_on_the_same_journal_carries_an_unfinished_job_on()
    {
        var journal = await NewJournalAsync();
        // No consumers anywhere yet: the job cannot make progress before the job manager moves.
        var first = await StartSeedAsync(journal, consumers: false);
        NodeHost second;
        try
        {
            await InProcessNodes.WhenUpAsync(first).WaitAsync(Timeout);
            second = await StartSeedAsync(journal, consumers: false, InProcessNodes.Endpoint(first));
            await InProcessNodes.WhenUpAsync(second).WaitAsync(Timeout);
            Assert.Equal("1", (await SubmitAsync(first, "primes", "0", "200000", "--chunk", "20000")).JobId);
            await first.Cluster!.LeaveAsync().WaitAsync(Timeout);
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using (second)
        {
            await using var worker = await NodeHost.StartAsync(NodeRole.Worker, InProcessNodes.Config("worker", Path.Combine(Folder, "logs")),
                InProcessNodes.Endpoint(second), CancellationToken.None);
            var finished = await WaitForEndAsync(second, "1");

            Assert.Equal(JobState.Completed, finished.State);
            Assert.Contains(finished.Summary, kv => kv.Key == "count" && kv.Value == "17984"); // primes below 200,000
            Assert.Equal("2", (await SubmitAsync(second, "primes", "0", "1000")).JobId);
        }
    }
}

/// <summary>Completes with the first <see cref="JobProgress"/> of a job that meets a condition (a temporary watcher actor).</summary>
internal static class JobProgressWaiter
{
    public static async Task<JobProgress> WaitAsync(ActorSystem system, IActorRef jobManager, string jobId, Func<JobProgress, bool> condition, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<JobProgress>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = system.ActorOf(Props.Create(() => new ProgressWatcher(jobManager, jobId, condition, done)));
        try
        {
            return await done.Task.WaitAsync(timeout);
        }
        finally
        {
            system.Stop(waiter);
        }
    }
}

internal sealed class ProgressWatcher : ReceiveActor
{
    public ProgressWatcher(IActorRef jobManager, string jobId, Func<JobProgress, bool> condition, TaskCompletionSource<JobProgress> done)
    {
        Receive<JobProgress>(p =>
        {
            if (!condition(p)) return;
            done.TrySetResult(p);
            Context.Stop(Self);
        });
        Receive<JobFinished>(f =>
        {
            done.TrySetException(new InvalidOperationException($"job {f.JobId} ended ({f.State}) before the progress awaited"));
            Context.Stop(Self);
        });
        Receive<JobUnknown>(u =>
        {
            done.TrySetException(new InvalidOperationException($"the job manager does not know job {u.JobId}"));
            Context.Stop(Self);
        });
        jobManager.Tell(new WatchJob(jobId));
    }
}

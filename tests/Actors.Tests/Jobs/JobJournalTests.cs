using ActorTasks.Messages;
using ActorTasks.Tasks.Jobs;
using ActorTasks.Tasks.Tests.JobKinds;
using ActorTasks.Tasks.Tests.Support;
using Akka.Event;
using Akka.TestKit.Xunit2;
using Microsoft.Data.Sqlite;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tasks.Tests.Jobs;

/// <summary>The journal on its own; an actor system only lends it a logger, whose events the tests can expect.</summary>
public sealed class JobJournalTests : TestKit
{
    private static readonly DateTimeOffset Submitted = new(2026, 12, 6, 1, 2, 3, TimeSpan.Zero);
    private readonly TempDirectory _folder = new();
    private readonly ILoggingAdapter _log;

    public JobJournalTests(ITestOutputHelper output)
        : base(TaskSystemFixture.Config(), output: output)
    {
        _log = Logging.GetLogger(Sys, "journal");
    }

    private string File => Path.Combine(_folder.Path, "data", "jobs.db");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static JournaledJob Job(long number, string kind = "squares") =>
        new(number, new SubmitJob(kind, [$"{number * 10}"], new JobOptions(FailFast: true, MaxRetries: 2)), Submitted.AddSeconds(number));

    private static JobFinished Finished(long number) => new($"{number}", JobState.Completed,
        [new("sum", "285")], ["line one", "line two"], 10, 0, 10, [], null, TimeSpan.FromSeconds(1.5));

    [Fact]
    public async Task Jobs_and_how_they_ended_are_read_back_after_the_journal_is_reopened()
    {
        using (var journal = JobJournal.Open(File, _log))
        {
            await journal.RecordStartedAsync(Job(1));
            await journal.RecordStartedAsync(Job(2));
            await journal.RecordFinishedAsync(1, Finished(1), null, Submitted.AddMinutes(1));
        }

        using var reopened = JobJournal.Open(File, _log);
        var snapshot = await reopened.LoadAsync();

        Assert.Equal(2, snapshot.LastNumber);
        Assert.Equal([1L, 2L], snapshot.Jobs.Select(j => j.Number));
        var ended = snapshot.Jobs[0];
        Assert.Equal(Job(1).Submit.Kind, ended.Submit.Kind);
        Assert.Equal(Job(1).Submit.Arguments, ended.Submit.Arguments);
        Assert.Equal(Job(1).Submit.Options, ended.Submit.Options);
        Assert.Equal(Job(1).SubmittedAt, ended.SubmittedAt);
        Assert.Equal(Submitted.AddMinutes(1), ended.FinishedAt);
        Assert.NotNull(ended.Finished);
        Assert.Equal(JobState.Completed, ended.Finished.State);
        Assert.Equal(["line one", "line two"], ended.Finished.Lines);
        Assert.Equal("285", ended.Finished.Summary.Single().Value);
        Assert.Equal(TimeSpan.FromSeconds(1.5), ended.Finished.Elapsed);
        Assert.Null(snapshot.Jobs[1].Finished);
        Assert.Null(snapshot.Jobs[1].FinishedAt);
    }

    [Fact]
    public async Task A_forgotten_job_is_gone_but_its_number_is_never_given_again()
    {
        using (var journal = JobJournal.Open(File, _log))
        {
            for (var n = 1; n <= 3; n++) await journal.RecordStartedAsync(Job(n));
            await journal.ForgetAsync(3);
            await journal.ForgetAsync(1);
        }

        using var reopened = JobJournal.Open(File, _log);
        var snapshot = await reopened.LoadAsync();
        Assert.Equal([2L], snapshot.Jobs.Select(j => j.Number));
        Assert.Equal(3, snapshot.LastNumber);
    }

    [Fact]
    public void A_file_that_is_not_a_journal_is_refused_naming_it_and_left_as_it_was()
    {
        var path = _folder.Write("notes.db", "these are my notes, not a database\n");

        var e = Assert.Throws<JobJournalException>(() => JobJournal.Open(path, _log));

        Assert.Contains(path, e.Message);
        Assert.Contains("actortasks.tasks.journal", e.Message);
        Assert.Equal("these are my notes, not a database\n", System.IO.File.ReadAllText(path));
    }

    [Fact]
    public void A_journal_written_by_a_newer_version_is_refused()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(File)!);
        using (var connection = new SqliteConnection($"Data Source={File};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 7";
            command.ExecuteNonQuery();
        }

        var e = Assert.Throws<JobJournalException>(() => JobJournal.Open(File, _log));

        Assert.Contains(File, e.Message);
        Assert.Contains("newer", e.Message);
    }

    [Fact]
    public async Task A_damaged_row_is_skipped_and_kept_while_the_others_are_read()
    {
        using (var journal = JobJournal.Open(File, _log))
        {
            await journal.RecordStartedAsync(Job(1));
            await journal.RecordStartedAsync(Job(2));
        }
        using (var connection = new SqliteConnection($"Data Source={File};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE jobs SET submit = '{not json' WHERE number = 1";
            command.ExecuteNonQuery();
        }

        using var reopened = JobJournal.Open(File, _log);
        var snapshot = await EventFilter.Warning(contains: "job 1 skipped, its row cannot be read").ExpectOneAsync(() => reopened.LoadAsync());

        Assert.Equal([2L], snapshot.Jobs.Select(j => j.Number));
        Assert.Equal(2, snapshot.LastNumber);
        using var check = new SqliteConnection($"Data Source={File};Pooling=False");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT count(*) FROM jobs";
        Assert.Equal(2L, (long)count.ExecuteScalar()!);
    }

    [Fact]
    public async Task A_closed_journal_fails_writes_instead_of_dropping_them_silently()
    {
        var journal = JobJournal.Open(File, _log);
        journal.Dispose();

        var e = await Assert.ThrowsAsync<JobJournalException>(() => journal.RecordStartedAsync(Job(1)));
        Assert.Contains("closed", e.Message);
    }
}

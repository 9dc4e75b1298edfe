using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using ActorTasks.Messages;
using ActorTasks.Messages.Serialization;
using Microsoft.Data.Sqlite;
using Akka.Event;

namespace ActorTasks.Tasks.Jobs;

/// <summary>A job as the journal holds it: what was submitted, and how it ended (null while it runs).</summary>
public sealed record JournaledJob(
    long Number,
    SubmitJob Submit,
    DateTimeOffset SubmittedAt,
    JobFinished? Finished = null,
    JobProgress? FinalProgress = null,
    DateTimeOffset? FinishedAt = null)
{
    /// <summary>The job's id: its number as text.</summary>
    public string JobId => Number.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What a journal held when the job manager started: its jobs by number, and the highest number ever given.</summary>
public sealed record JournalSnapshot(IReadOnlyList<JournaledJob> Jobs, long LastNumber) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>A journal that cannot be opened or read; the message names the file and what is wrong with it.</summary>
public sealed class JobJournalException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The job manager's journal: an SQLite file (<c>actortasks.tasks.journal</c>) holding every job the manager accepted
/// and how each ended, so that a restarted seed lists the jobs it had, keeps their results and runs again the ones
/// that had not finished.
/// </summary>
/// <remarks>
/// SQLite calls block, so the journal does all of them on a thread of its own, in the order they were asked for; the
/// manager never waits on a dispatcher thread. A write that fails is logged, naming the job and the file; the job goes
/// on. A row the journal cannot decode (written by a newer version, or damaged) is skipped with a warning and left in
/// the file.
/// </remarks>
public sealed class JobJournal : IDisposable, IAsyncDisposable
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection _connection;
    private readonly ILoggingAdapter _log;
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private JobJournal(string path, SqliteConnection connection, ILoggingAdapter log)
    {
        Path = path;
        _connection = connection;
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = "actortasks-job-journal" };
        _thread.Start();
    }

    /// <summary>The journal's file.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens (or creates) the journal at <paramref name="path"/>, and its folder; call it at start-up, not from an
    /// actor. Throws <see cref="JobJournalException"/> naming the file when it cannot be opened or is not a journal.
    /// </summary>
    public static JobJournal Open(string path, ILoggingAdapter log)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(log);
        var full = System.IO.Path.GetFullPath(path);
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
            connection.Open();
            var version = Convert.ToInt64(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
                throw new JobJournalException($"job journal '{full}': written by a newer ActorTasks (schema {version}; this one reads {SchemaVersion})");
            Execute(connection, """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                CREATE TABLE IF NOT EXISTS jobs (
                    number INTEGER PRIMARY KEY,
                    submit TEXT NOT NULL,
                    submitted_at TEXT NOT NULL,
                    finished TEXT,
                    final_progress TEXT,
                    finished_at TEXT);
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                PRAGMA user_version = 1;
                """);
            return new JobJournal(full, connection, log);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            throw new JobJournalException($"job journal '{full}' (actortasks.tasks.journal) cannot be opened: {e.Message}", e);
        }
    }

    /// <summary>Reads every job and the last number given, on the journal's thread.</summary>
    public Task<JournalSnapshot> LoadAsync() => Enqueue(Load);

    /// <summary>Records an accepted job (and its number as the last given); completes once it is written.</summary>
    public Task RecordStartedAsync(JournaledJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var submit = JsonSerializer.Serialize(job.Submit, TaskSystemJsonContext.Default.SubmitJob);
        return Enqueue(() =>
        {
            using var transaction = _connection.BeginTransaction();
            Execute(_connection, "INSERT INTO jobs (number, submit, submitted_at) VALUES ($n, $s, $t)",
                ("$n", job.Number), ("$s", submit), ("$t", job.SubmittedAt.ToString("O", CultureInfo.InvariantCulture)));
            Execute(_connection, "INSERT INTO meta (key, value) VALUES ('last-number', $n) ON CONFLICT(key) DO UPDATE SET value = max(value, $n)",
                ("$n", job.Number));
            transaction.Commit();
            return true;
        });
    }

    /// <summary>Records how a job ended; a failure to write is logged.</summary>
    public Task RecordFinishedAsync(long number, JobFinished finished, JobProgress? finalProgress, DateTimeOffset finishedAt)
    {
        ArgumentNullException.ThrowIfNull(finished);
        var json = JsonSerializer.Serialize(finished, TaskSystemJsonContext.Default.JobFinished);
        var progress = finalProgress is null ? null : JsonSerializer.Serialize(finalProgress, TaskSystemJsonContext.Default.JobProgress);
        return Logged(number, "its end", Enqueue(() =>
        {
            Execute(_connection, "UPDATE jobs SET finished = $f, final_progress = $p, finished_at = $t WHERE number = $n",
                ("$f", json), ("$p", (object?)progress ?? DBNull.Value), ("$t", finishedAt.ToString("O", CultureInfo.InvariantCulture)), ("$n", number));
            return true;
        }));
    }

    /// <summary>Deletes a finished job the manager no longer keeps; a failure to write is logged.</summary>
    public Task ForgetAsync(long number) => Logged(number, "that it was forgotten", Enqueue(() =>
    {
        Execute(_connection, "DELETE FROM jobs WHERE number = $n", ("$n", number));
        return true;
    }));

    /// <summary>Finishes the writes already asked for, then closes the file; blocks until it is closed.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread) _thread.Join();
    }

    /// <summary>Finishes the writes already asked for, then closes the file, without blocking the caller.</summary>
    public ValueTask DisposeAsync()
    {
        _work.CompleteAdding();
        return new ValueTask(_closed.Task);
    }

    private JournalSnapshot Load()
    {
        var jobs = new List<JournaledJob>();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT number, submit, submitted_at, finished, final_progress, finished_at FROM jobs ORDER BY number";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var number = reader.GetInt64(0);
                try
                {
                    jobs.Add(new JournaledJob(
                        number,
                        JsonSerializer.Deserialize(reader.GetString(1), TaskSystemJsonContext.Default.SubmitJob)
                            ?? throw new JsonException("the submitted job is null"),
                        DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                        reader.IsDBNull(3) ? null : JsonSerializer.Deserialize(reader.GetString(3), TaskSystemJsonContext.Default.JobFinished),
                        reader.IsDBNull(4) ? null : JsonSerializer.Deserialize(reader.GetString(4), TaskSystemJsonContext.Default.JobProgress),
                        reader.IsDBNull(5) ? null : DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
                }
                catch (Exception e) when (e is JsonException or FormatException or InvalidCastException or NotSupportedException)
                {
                    _log.Warning("Job journal {Path}: job {Number} skipped, its row cannot be read: {Problem}", Path, number, e.Message);
                }
            }
        }
        var last = Scalar(_connection, "SELECT value FROM meta WHERE key = 'last-number'");
        var lastNumber = last is null or DBNull ? 0 : Convert.ToInt64(last, CultureInfo.InvariantCulture);
        return new JournalSnapshot(jobs, Math.Max(lastNumber, jobs.Count == 0 ? 0 : jobs[^1].Number));
    }

    private Task<T> Enqueue<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(() =>
            {
                try
                {
                    done.TrySetResult(work());
                }
                catch (Exception e)
                {
                    done.TrySetException(new JobJournalException($"job journal '{Path}': {e.Message}", e));
                }
            });
        }
        catch (InvalidOperationException)
        {
            done.TrySetException(new JobJournalException($"job journal '{Path}' is closed"));
        }
        return done.Task;
    }

    private Task Logged(long number, string what, Task write) => write.ContinueWith(t =>
    {
        if (t.Exception is { } e) _log.Error(e.InnerException, "Job journal {Path}: could not record {What} of job {Number}", Path, what, number);
    }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private void Run()
    {
        try
        {
            foreach (var work in _work.GetConsumingEnumerable()) work();
        }
        finally
        {
            _connection.Dispose();
            _closed.TrySetResult();
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }
}

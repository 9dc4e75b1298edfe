using ActorTasks.Messages;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Hosting;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ActorTasks.Node.Tests.Journal;

/// <summary>The journal's contract on an SQLite file (<c>actortasks.tasks.journal</c>), and the files it must refuse.</summary>
public sealed class SqliteJournalTests : JournalContract
{
    private int _journals;

    protected override Task<string> NewJournalAsync() =>
        Task.FromResult($"journal = \"{Support.InProcessNodes.Escape(Path.Combine(Folder, $"data-{++_journals}", "jobs.db"))}\"");

    private async Task<ConfigException> RefusedAsync(string file) =>
        await Assert.ThrowsAsync<ConfigException>(() => StartSeedAsync($"journal = \"{Support.InProcessNodes.Escape(file)}\""));

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_naming_the_setting_and_the_file_and_left_as_it_was()
    {
        var notes = Path.Combine(Folder, "notes.txt");
        await File.WriteAllTextAsync(notes, "not a database");

        var error = await RefusedAsync(notes);

        Assert.Contains("actortasks.tasks.journal", error.Message);
        Assert.Contains(notes, error.Message);
        Assert.Equal("not a database", await File.ReadAllTextAsync(notes));
    }

    [Fact]
    public async Task A_database_of_something_else_or_of_the_old_journal_is_refused_and_left_as_it_was()
    {
        var other = Path.Combine(Folder, "app.db");
        var old = Path.Combine(Folder, "old-jobs.db");
        Execute(other, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'Ada')");
        Execute(old, "CREATE TABLE jobs (number INTEGER PRIMARY KEY, record TEXT); CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)");
        byte[][] before = [await File.ReadAllBytesAsync(other), await File.ReadAllBytesAsync(old)];

        var foreign = await RefusedAsync(other);
        var earlier = await RefusedAsync(old);

        Assert.Contains("customers", foreign.Message);
        Assert.Contains(other, foreign.Message);
        Assert.Contains("earlier ActorTasks", earlier.Message);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before[0], await File.ReadAllBytesAsync(other));
        Assert.Equal(before[1], await File.ReadAllBytesAsync(old));
    }

    [Fact]
    public async Task A_folder_is_refused_naming_it()
    {
        var error = await RefusedAsync(Folder);

        Assert.Contains("is a folder", error.Message);
        Assert.Contains("actortasks.tasks.journal", error.Message);
    }

    [Fact]
    public async Task A_journal_whose_writer_was_killed_in_the_middle_of_a_write_is_rolled_back_and_used()
    {
        // A journal of ours, then a transaction caught half way: its rollback journal is "hot", as after kill -9.
        var live = Path.Combine(Folder, "live", "jobs.db");
        await using (var seed = await StartSeedAsync($"journal = \"{Support.InProcessNodes.Escape(live)}\""))
            Assert.Equal(JobState.Completed, (await WaitForEndAsync(seed, (await SubmitAsync(seed, "noop", "5")).JobId)).State);
        SqliteConnection.ClearAllPools();
        var hot = Path.Combine(Folder, "hot", "jobs.db");
        Directory.CreateDirectory(Path.GetDirectoryName(hot)!);
        using (var writer = Open(live))
        {
            Run(writer, "PRAGMA journal_mode = DELETE; PRAGMA cache_size = 1");
            using var transaction = writer.BeginTransaction();
            // More pages than the cache holds, so that the changes reach the file before the commit.
            Run(writer, "CREATE TABLE scratch (x BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO scratch SELECT randomblob(4096) FROM n");
            File.Copy(live, hot);
            File.Copy(live + "-journal", hot + "-journal");
            transaction.Rollback();
        }

        await using var again = await StartSeedAsync($"journal = \"{Support.InProcessNodes.Escape(hot)}\"");

        Assert.Equal("2", (await SubmitAsync(again, "noop", "5")).JobId);
        Assert.False(File.Exists(hot + "-journal"));
    }

    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Run(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Execute(string file, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using ActorTasks.Node.Configuration;
using ActorTasks.Tasks.Configuration;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorTasks.Node.Hosting;

/// <summary>
/// Where a seed's job journal lives (Akka.Persistence through Akka.Persistence.Sql): an SQLite file
/// (<c>actortasks.tasks.journal</c>), or a PostgreSQL database that seeds on several machines share
/// (<c>actortasks.tasks.journal-postgresql</c>). The store is checked before the node starts, so that a file that is not
/// a journal, or a database that cannot be reached, stops the seed with one line naming the setting and the target —
/// and the file is left as it was.
/// </summary>
public static class JournalStore
{
    // The tables Akka.Persistence.Sql creates (table-mapping = default); an SQLite file with others is not a journal of ours.
    private static readonly string[] JournalTables = ["journal", "snapshot", "tags", "journal_metadata"];

    /// <summary>
    /// <paramref name="akka"/> with the journal named by <paramref name="tasks"/> plugged in, after checking it; null
    /// without a journal. <paramref name="description"/> names the store for the log.
    /// </summary>
    public static Config? Configure(Config akka, TaskSystemSettings tasks, NodeConfig config, out string description)
    {
        description = "";
        if (tasks.JournalPostgreSql is { } connection)
        {
            description = CheckPostgreSql(connection, config);
            return Plugins(akka, connection, LinqToDB.ProviderName.PostgreSQL15);
        }
        if (tasks.Journal is not { } file) return null;
        var full = CheckSqlite(file, config);
        description = full;
        var builder = new SqliteConnectionStringBuilder { DataSource = full, Cache = SqliteCacheMode.Shared };
        return Plugins(akka, builder.ToString(), LinqToDB.ProviderName.SQLiteMS);
    }

    // The plugin choice and the connection come from actortasks.tasks.journal*, so they sit above the node's settings;
    // the plugins' other settings (akka.persistence.journal.sql.*) stay the user's to tune, over the plugin's defaults.
    private static Config Plugins(Config akka, string connectionString, string provider)
    {
        var quoted = System.Text.Json.JsonSerializer.Serialize(connectionString);
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal.plugin = "akka.persistence.journal.sql"
              snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
              # Started with the actor system (the extension loaded at start, the plug-ins with it), so that connecting
              # and checking the tables happen while the cluster forms, not when the job manager first reads the journal.
              journal.auto-start-journals = ["akka.persistence.journal.sql"]
              snapshot-store.auto-start-snapshot-stores = ["akka.persistence.snapshot-store.sql"]
              journal.sql { connection-string = {{quoted}}, provider-name = "{{provider}}", auto-initialize = on }
              snapshot-store.sql { connection-string = {{quoted}}, provider-name = "{{provider}}", auto-initialize = on }
            }
            akka.extensions = ["Akka.Persistence.Persistence, Akka.Persistence"]
            """).WithFallback(akka).WithFallback(SqlPersistence.DefaultConfiguration);
    }

    private static string CheckSqlite(string file, NodeConfig config)
    {
        var source = config.SourceOf("actortasks.tasks.journal") ?? "configuration";
        string full;
        try
        {
            full = Path.GetFullPath(file);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ConfigException($"{source}: actortasks.tasks.journal: '{file}' is not a usable file name ({e.Message})");
        }
        if (Directory.Exists(full)) throw new ConfigException($"{source}: actortasks.tasks.journal: {full} is a folder; name a file");
        if (!File.Exists(full))
        {
            // A new journal: its folder is made here, the file by the first connection.
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException($"{source}: actortasks.tasks.journal: the folder of {full} cannot be made: {e.Message}");
            }
        }
        List<string> tables = [];
        try
        {
            if (File.Exists(full)) tables = Tables(full);
        }
        catch (SqliteException e)
        {
            throw new ConfigException($"{source}: actortasks.tasks.journal: {full} is not a job journal (SQLite says: {e.Message}); it was left as it is");
        }
        if (tables.Contains("jobs") && tables.Contains("meta") && !tables.Contains("journal"))
            throw new ConfigException($"{source}: actortasks.tasks.journal: {full} is a job journal of an earlier ActorTasks (a 'jobs' table, not Akka.Persistence's events); it was left as it is: name a new file");
        var foreign = tables.Where(t => !JournalTables.Contains(t, StringComparer.OrdinalIgnoreCase) && !t.StartsWith("sqlite_", StringComparison.Ordinal)).ToList();
        if (foreign.Count > 0)
            throw new ConfigException($"{source}: actortasks.tasks.journal: {full} holds tables that are not a job journal's ({string.Join(", ", foreign)}); it was left as it is");
        try
        {
            UseWriteAheadLog(full);
        }
        catch (SqliteException e)
        {
            throw new ConfigException($"{source}: actortasks.tasks.journal: {full} cannot be written (SQLite says: {e.Message})");
        }
        return full;
    }

    // SQLite's extended result code for a database whose rollback journal is "hot" (a writer died mid-transaction, as
    // with kill -9 of a seed): a read-only connection cannot roll it back.
    private const int ReadOnlyRollback = 776;

    // The tables of an existing SQLite file, read through a read-only connection so that a file that is not a journal
    // is left exactly as it was — unless a writer died in the middle of a transaction, which SQLite rolls back on the
    // first connection that may write: then the file is read through one.
    private static List<string> Tables(string file)
    {
        try
        {
            return Query(file, SqliteOpenMode.ReadOnly);
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == ReadOnlyRollback)
        {
            return Query(file, SqliteOpenMode.ReadWrite);
        }

        static List<string> Query(string file, SqliteOpenMode mode)
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = mode, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = command.ExecuteReader();
            var tables = new List<string>();
            while (reader.Read()) tables.Add(reader.GetString(0));
            return tables;
        }
    }

    // A journal (new, or one of ours) in write-ahead-log mode: a commit appends to the log instead of rewriting pages
    // through a rollback journal, and a writer killed mid-commit leaves nothing a reader must roll back. The mode is
    // kept in the file.
    private static void UseWriteAheadLog(string file)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        command.ExecuteNonQuery();
    }

    private static string CheckPostgreSql(string connectionString, NodeConfig config)
    {
        var source = config.SourceOf("actortasks.tasks.journal-postgresql") ?? "configuration";
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"{source}: actortasks.tasks.journal-postgresql: not a PostgreSQL connection string such as \"Host=10.0.0.7;Database=actortasks;Username=at;Password=…\" ({e.Message})");
        }
        var target = $"{builder.Host}:{builder.Port}/{builder.Database}";
        if (string.IsNullOrEmpty(builder.Host))
            throw new ConfigException($"{source}: actortasks.tasks.journal-postgresql: the connection string names no Host");
        builder.Timeout = Math.Min(builder.Timeout == 0 ? 5 : builder.Timeout, 5);
        try
        {
            using var connection = new NpgsqlConnection(builder.ToString());
            connection.Open();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new NodeStartException($"the job journal cannot be reached: actortasks.tasks.journal-postgresql ({target}): {e.Message}", e);
        }
        return $"PostgreSQL {target}";
    }
}

using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorTasks.Messages;
using ActorTasks.Tasks.Collectors;
using ActorTasks.Tasks.JobKinds.Common;
using Akka.Actor;
using Akka.Serialization;

namespace ActorTasks.Tasks.Jobs.Journal;

/// <summary>
/// Writes the job journal's events and snapshots (<see cref="IJournalMessage"/>) under stable <c>journal.*</c> manifests:
/// source-generated JSON for the job ledger's few events, a compact binary form for a job's settled tasks (the journal's
/// bulk). Bytes that do not read throw <see cref="SerializationException"/> naming the manifest, and Akka fails that
/// recovery, which the ledger reports.
/// </summary>
public sealed class JournalSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer's id (the task-system messages' serializer is 110).</summary>
    public const int SerializerId = 111;

    private const byte Version = 1;

    /// <inheritdoc />
    public override int Identifier => SerializerId;

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        JobAcceptedEvent => "journal.job-accepted",
        JobEndedEvent => "journal.job-ended",
        JobForgottenEvent => "journal.job-forgotten",
        JobLedgerState => "journal.job-ledger-state",
        TasksSettledEvent => "journal.tasks-settled",
        JobTasksState => "journal.job-tasks-state",
        _ => throw new ArgumentException($"{o.GetType().FullName} is not a job journal message", nameof(o)),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => obj switch
    {
        JobAcceptedEvent e => JsonSerializer.SerializeToUtf8Bytes(e, JournalJsonContext.Default.JobAcceptedEvent),
        JobEndedEvent e => JsonSerializer.SerializeToUtf8Bytes(e, JournalJsonContext.Default.JobEndedEvent),
        JobForgottenEvent e => JsonSerializer.SerializeToUtf8Bytes(e, JournalJsonContext.Default.JobForgottenEvent),
        JobLedgerState s => JsonSerializer.SerializeToUtf8Bytes(s, JournalJsonContext.Default.JobLedgerState),
        TasksSettledEvent e => Write(e),
        JobTasksState s => Write(s),
        _ => throw new ArgumentException($"{obj.GetType().FullName} is not a job journal message", nameof(obj)),
    };

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            object? read = manifest switch
            {
                "journal.job-accepted" => JsonSerializer.Deserialize(bytes, JournalJsonContext.Default.JobAcceptedEvent),
                "journal.job-ended" => JsonSerializer.Deserialize(bytes, JournalJsonContext.Default.JobEndedEvent),
                "journal.job-forgotten" => JsonSerializer.Deserialize(bytes, JournalJsonContext.Default.JobForgottenEvent),
                "journal.job-ledger-state" => JsonSerializer.Deserialize(bytes, JournalJsonContext.Default.JobLedgerState),
                "journal.tasks-settled" => ReadSettled(bytes),
                "journal.job-tasks-state" => ReadState(bytes),
                _ => throw new SerializationException($"unknown job journal manifest '{manifest}'"),
            };
            return read ?? throw new SerializationException($"{manifest}: the message is null");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or FormatException or NotSupportedException or OverflowException)
        {
            throw new SerializationException($"{manifest}: {e.Message}", e);
        }
    }

    private static byte[] Write(TasksSettledEvent e)
    {
        var writer = new PayloadWriter(64 + e.Results.Sum(r => r.Result.Length + 12));
        writer.WriteByte(Version);
        writer.WriteVarUInt64((ulong)e.Results.Count);
        foreach (var r in e.Results)
        {
            writer.WriteVarUInt64((ulong)r.Index);
            writer.WriteVarUInt64((ulong)r.Result.Length);
            writer.WriteBytes(r.Result);
        }
        WriteFailures(writer, e.GivenUp);
        writer.WriteVarUInt64(e.Total is { } total ? (ulong)total + 1 : 0);
        WriteCounts(writer, e.Counters);
        WriteCounts(writer, e.PerNode);
        writer.WriteVarUInt64((ulong)e.HandedOut);
        writer.WriteVarUInt64((ulong)e.RunAgain);
        return writer.ToMemory().ToArray();
    }

    private static TasksSettledEvent ReadSettled(byte[] bytes)
    {
        var reader = new PayloadReader(bytes, "journal.tasks-settled");
        ExpectVersion(ref reader);
        var results = new StoredResult[reader.ReadCount(2)];
        for (var i = 0; i < results.Length; i++)
        {
            var index = (long)reader.ReadVarUInt64();
            results[i] = new StoredResult(index, reader.ReadBytes(reader.ReadCount()).ToArray());
        }
        var givenUp = ReadFailures(ref reader);
        var total = reader.ReadVarUInt64();
        var counters = ReadCounts(ref reader);
        var perNode = ReadCounts(ref reader);
        var handedOut = ReadCount(ref reader);
        var runAgain = ReadCount(ref reader);
        reader.ExpectEnd();
        return new TasksSettledEvent(results, givenUp, total == 0 ? null : (long)(total - 1), counters, perNode, handedOut, runAgain);
    }

    private static byte[] Write(JobTasksState s)
    {
        var writer = new PayloadWriter(256 + s.Reducer.Length);
        writer.WriteByte(Version);
        s.Settled.WriteTo(writer);
        writer.WriteVarUInt64((ulong)s.Done);
        writer.WriteVarUInt64((ulong)s.Failed);
        writer.WriteVarUInt64(s.Total is { } total ? (ulong)total + 1 : 0);
        WriteFailures(writer, s.Failures);
        WriteCounts(writer, s.Counters);
        WriteCounts(writer, s.PerNode);
        writer.WriteVarUInt64((ulong)s.Reducer.Length);
        writer.WriteBytes(s.Reducer);
        writer.WriteVarUInt64((ulong)s.HandedOut);
        writer.WriteVarUInt64((ulong)s.RunAgain);
        return writer.ToMemory().ToArray();
    }

    private static JobTasksState ReadState(byte[] bytes)
    {
        var reader = new PayloadReader(bytes, "journal.job-tasks-state");
        ExpectVersion(ref reader);
        var settled = SettledSet.ReadFrom(ref reader);
        var done = (long)reader.ReadVarUInt64();
        var failed = (long)reader.ReadVarUInt64();
        var total = reader.ReadVarUInt64();
        var failures = ReadFailures(ref reader);
        var counters = ReadCounts(ref reader);
        var perNode = ReadCounts(ref reader);
        var reducer = reader.ReadBytes(reader.ReadCount()).ToArray();
        var handedOut = ReadCount(ref reader);
        var runAgain = ReadCount(ref reader);
        reader.ExpectEnd();
        return new JobTasksState(settled, done, failed, total == 0 ? null : (long)(total - 1), failures, counters, perNode, reducer, handedOut, runAgain);
    }

    private static void ExpectVersion(ref PayloadReader reader)
    {
        var version = reader.ReadByte();
        if (version != Version) throw new InvalidDataException($"written in format {version}; this ActorTasks reads format {Version}");
    }

    private static void WriteFailures(PayloadWriter writer, IReadOnlyList<TaskFailure> failures)
    {
        writer.WriteVarUInt64((ulong)failures.Count);
        foreach (var f in failures)
        {
            writer.WriteVarUInt64((ulong)f.TaskIndex);
            writer.WriteVarUInt64((ulong)f.Attempts);
            writer.WriteString(f.ErrorType);
            writer.WriteString(f.Message);
        }
    }

    private static TaskFailure[] ReadFailures(ref PayloadReader reader)
    {
        var failures = new TaskFailure[reader.ReadCount(4)];
        for (var i = 0; i < failures.Length; i++)
            failures[i] = new TaskFailure((long)reader.ReadVarUInt64(), checked((int)reader.ReadVarUInt64()), reader.ReadString(), reader.ReadString());
        return failures;
    }

    private static void WriteCounts(PayloadWriter writer, IReadOnlyDictionary<string, long> counts)
    {
        writer.WriteVarUInt64((ulong)counts.Count);
        foreach (var (name, value) in counts)
        {
            writer.WriteString(name);
            writer.WriteInt64(value);
        }
    }

    // A count that a long holds: a larger one is not something this serializer wrote.
    private static long ReadCount(ref PayloadReader reader)
    {
        var value = reader.ReadVarUInt64();
        return value <= long.MaxValue ? (long)value : throw new InvalidDataException($"a count of {value} is out of range");
    }

    private static Dictionary<string, long> ReadCounts(ref PayloadReader reader)
    {
        var count = reader.ReadCount(9);
        var counts = new Dictionary<string, long>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++) counts[reader.ReadString()] = reader.ReadInt64();
        return counts;
    }
}

/// <summary>Source-generated JSON of the job ledger's events (enums as their names).</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(JobAcceptedEvent))]
[JsonSerializable(typeof(JobEndedEvent))]
[JsonSerializable(typeof(JobForgottenEvent))]
[JsonSerializable(typeof(JobLedgerState))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;

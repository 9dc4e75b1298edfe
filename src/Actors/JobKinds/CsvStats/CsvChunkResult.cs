using System.Runtime.InteropServices;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.CsvStats;

/// <summary>A malformed row found by a task: the 0-based index of its line among the lines the task owns, and what is wrong.</summary>
internal readonly record struct CsvProblem(long LocalLine, string Message);

/// <summary>What one csv-stats task returns for its byte range.</summary>
/// <remarks>
/// Binary, little-endian: varint lines owned, the running statistics (varint count, zigzag varint scale exponent,
/// then the scaled mean, scaled M2, min and max as doubles), varint malformed count, the first problems (varint count; varint local line and a
/// string each), then every value as a raw 8-byte double, in file order.
/// </remarks>
internal sealed record CsvChunkResult(long LinesOwned, RunningStats Stats, long Malformed, IReadOnlyList<CsvProblem> Problems, double[] Values)
{
    public ReadOnlyMemory<byte> Encode()
    {
        var writer = new PayloadWriter(64 + Values.Length * 8 + Problems.Sum(p => p.Message.Length + 8));
        writer.WriteVarUInt64((ulong)LinesOwned);
        Stats.Write(writer);
        writer.WriteVarUInt64((ulong)Malformed);
        writer.WriteVarUInt64((ulong)Problems.Count);
        foreach (var problem in Problems)
        {
            writer.WriteVarUInt64((ulong)problem.LocalLine);
            writer.WriteString(problem.Message);
        }
        WriteValues(writer, Values);
        return writer.ToMemory();
    }

    public static CsvChunkResult Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload, "csv-stats result");
        var linesOwned = (long)reader.ReadVarUInt64();
        var stats = RunningStats.Read(ref reader, "csv-stats result");
        var malformed = (long)reader.ReadVarUInt64();
        var problems = new CsvProblem[reader.ReadCount(2)];
        for (var i = 0; i < problems.Length; i++)
            problems[i] = new CsvProblem((long)reader.ReadVarUInt64(), reader.ReadString());

        if (stats.Count > int.MaxValue / 8)
            throw new InvalidDataException($"malformed csv-stats result payload: {stats.Count} values is more than one payload can hold");
        var values = ReadValues(ref reader, (int)stats.Count);
        reader.ExpectEnd();
        return new CsvChunkResult(linesOwned, stats, malformed, problems, values);
    }

    /// <summary>Writes <paramref name="values"/> as raw little-endian 8-byte doubles.</summary>
    public static void WriteValues(PayloadWriter writer, ReadOnlySpan<double> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            writer.WriteBytes(MemoryMarshal.AsBytes(values));
        }
        else
        {
            foreach (var value in values)
                writer.WriteDouble(value);
        }
    }

    /// <summary>Reads <paramref name="count"/> doubles written by <see cref="WriteValues"/> (checking the bytes are there before allocating).</summary>
    public static double[] ReadValues(ref PayloadReader reader, int count)
    {
        var raw = reader.ReadBytes(checked(count * 8));
        var values = new double[count];
        if (BitConverter.IsLittleEndian)
        {
            raw.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        else
        {
            var valueReader = new PayloadReader(raw, "csv-stats values");
            for (var i = 0; i < values.Length; i++)
                values[i] = valueReader.ReadDouble();
        }
        return values;
    }
}

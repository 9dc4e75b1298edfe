namespace ActorTasks.Tasks.JobKinds.Common;

/// <summary>Reads a <see cref="ReducerState"/> body after its version byte; throws <see cref="InvalidDataException"/> on bytes it cannot read.</summary>
internal delegate T ReducerStateReader<out T>(ref PayloadReader reader);

/// <summary>Decodes one task's result from the bytes the task returned.</summary>
internal delegate T TaskResultDecoder<out T>(ReadOnlySpan<byte> encoded);

/// <summary>
/// The framing the built-in kinds give a saved reducer (<see cref="IResumableReducer"/>): a version byte, then the
/// kind's own body, with nothing after it.
/// </summary>
internal static class ReducerState
{
    /// <summary>The version the built-in kinds write, and the only one they read.</summary>
    public const byte Version = 1;

    /// <summary>A writer with the version byte already written.</summary>
    public static PayloadWriter Begin(int initialCapacity = 64)
    {
        var writer = new PayloadWriter(initialCapacity + 1);
        writer.WriteByte(Version);
        return writer;
    }

    /// <summary>
    /// Checks the version byte, reads the body with <paramref name="read"/> and checks nothing follows. Any failure is an
    /// <see cref="InvalidDataException"/> naming <paramref name="kind"/>, so a reducer keeps its fresh state when it throws
    /// as long as <paramref name="read"/> only builds values and assigns nothing.
    /// </summary>
    public static T Read<T>(ReadOnlySpan<byte> state, string kind, ReducerStateReader<T> read)
    {
        var what = kind + " reducer state";
        if (state.IsEmpty)
            throw new InvalidDataException($"malformed {what}: it is empty");
        if (state[0] != Version)
            throw new InvalidDataException($"malformed {what}: version {state[0]}, while this ActorTasks reads version {Version}");
        var reader = new PayloadReader(state[1..], what);
        try
        {
            var value = read(ref reader);
            reader.ExpectEnd();
            return value;
        }
        catch (InvalidDataException e) when (!e.Message.Contains(kind, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"malformed {what}: {e.Message}", e);
        }
        catch (Exception e) when (e is OverflowException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"malformed {what}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The state of a reducer that keeps every task's result as the task returned it: a varint count, then per result in
    /// task order its index (see <see cref="WriteTaskIndex"/>) and its encoding, prefixed by its varint length.
    /// </summary>
    public static byte[] SaveResults<T>(SortedDictionary<long, T> results, Func<T, ReadOnlyMemory<byte>> encode)
    {
        var writer = Begin();
        writer.WriteVarUInt64((ulong)results.Count);
        var previous = -1L;
        foreach (var (index, result) in results)
        {
            WriteTaskIndex(writer, index, ref previous);
            var encoded = encode(result);
            writer.WriteVarUInt64((ulong)encoded.Length);
            writer.WriteBytes(encoded.Span);
        }
        return writer.ToArray();
    }

    /// <summary>
    /// Reads what <see cref="SaveResults"/> wrote; <paramref name="minBytesPerResult"/> (index, length and the smallest
    /// encoding) bounds the count before anything is allocated.
    /// </summary>
    public static KeyValuePair<long, T>[] ReadResults<T>(ReadOnlySpan<byte> state, string kind, int minBytesPerResult, TaskResultDecoder<T> decode) =>
        Read(state, kind, (ref PayloadReader reader) =>
        {
            var results = new KeyValuePair<long, T>[reader.ReadCount(minBytesPerResult)];
            var previous = -1L;
            for (var i = 0; i < results.Length; i++)
            {
                var index = ReadTaskIndex(ref reader, ref previous);
                results[i] = new(index, decode(reader.ReadBytes(reader.ReadCount())));
            }
            return results;
        });

    /// <summary>Writes ascending task indexes as gaps: the first index, then each one's distance past the previous plus one.</summary>
    public static void WriteTaskIndex(PayloadWriter writer, long index, ref long previous)
    {
        writer.WriteVarUInt64((ulong)(index - previous - 1));
        previous = index;
    }

    /// <summary>Reads a task index written by <see cref="WriteTaskIndex"/>; start <paramref name="previous"/> at −1.</summary>
    public static long ReadTaskIndex(ref PayloadReader reader, ref long previous)
    {
        var gap = reader.ReadVarUInt64();
        if (gap > (ulong)(long.MaxValue - 1 - previous))
            throw new InvalidDataException($"a task index past {long.MaxValue}");
        previous = previous + 1 + (long)gap;
        return previous;
    }

    /// <summary>A varint that must fit a non-negative long.</summary>
    public static long ReadCount64(ref PayloadReader reader)
    {
        var value = reader.ReadVarUInt64();
        return value <= long.MaxValue ? (long)value : throw new InvalidDataException($"a count of {value}, more than a long holds");
    }

    /// <summary>Throws unless <paramref name="reducerIsFresh"/>: state is restored into a reducer that has nothing yet.</summary>
    public static void EnsureFresh(bool reducerIsFresh, string kind)
    {
        if (!reducerIsFresh)
            throw new InvalidOperationException($"a {kind} reducer state can only be restored into a fresh reducer, before any result is added");
    }
}

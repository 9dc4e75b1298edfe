namespace ActorTasks.Tasks.JobKinds.Common;

/// <summary>Reads a <see cref="ReducerState"/> body after its version byte; throws <see cref="InvalidDataException"/> on bytes it cannot read.</summary>
internal delegate T ReducerStateReader<out T>(ref PayloadReader reader);

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

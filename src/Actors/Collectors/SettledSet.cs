namespace ActorTasks.Tasks.Collectors;

/// <summary>Which task indexes have settled (succeeded or been given up on).</summary>
/// <remarks>
/// Tasks settle roughly in index order (the split hands them out in order, and consumers hold a bounded window), so
/// the set keeps a floor below which every index has settled, and one bit per index only from the floor on. Its
/// memory follows the spread of the tasks in flight, not the job's size: a job of 10^9 tasks needs a few kilobytes
/// while its tasks settle in order (a flat bitmap needed 125 MB). A task that stays unsettled while later ones settle
/// holds the floor back, and the bits between it and them are kept.
/// </remarks>
internal sealed class SettledSet
{
    // Bit i of the array stands for index _floor + i; _floor is a multiple of 64.
    private ulong[] _bits = new ulong[16];
    private long _floor;

    /// <summary>How many distinct indexes were added.</summary>
    public long Count { get; private set; }

    /// <summary>Every index below this has settled.</summary>
    public long Floor => _floor;

    /// <summary>True when <paramref name="index"/> has settled.</summary>
    public bool Contains(long index)
    {
        if (index < _floor) return true;
        var word = (index - _floor) >> 6;
        return word < _bits.Length && (_bits[word] & (1UL << (int)((index - _floor) & 63))) != 0;
    }

    /// <summary>A copy, independent of this set.</summary>
    public SettledSet Copy() => new() { Count = Count, _floor = _floor, _bits = (ulong[])_bits.Clone() };

    /// <summary>Becomes <paramref name="other"/>: the same indexes, count and floor.</summary>
    public void ReplaceWith(SettledSet other)
    {
        Count = other.Count;
        _floor = other._floor;
        _bits = (ulong[])other._bits.Clone();
    }

    /// <summary>Writes the set: its count, floor and the bits above it (trailing empty words left out).</summary>
    public void WriteTo(JobKinds.Common.PayloadWriter writer)
    {
        var used = _bits.Length;
        while (used > 0 && _bits[used - 1] == 0) used--;
        writer.WriteVarUInt64((ulong)Count);
        writer.WriteVarUInt64((ulong)_floor);
        writer.WriteVarUInt64((ulong)used);
        for (var i = 0; i < used; i++) writer.WriteUInt64(_bits[i]);
    }

    /// <summary>A set as <see cref="WriteTo"/> wrote it; malformed input throws <see cref="InvalidDataException"/>.</summary>
    public static SettledSet ReadFrom(ref JobKinds.Common.PayloadReader reader)
    {
        var count = (long)reader.ReadVarUInt64();
        var floor = (long)reader.ReadVarUInt64();
        var words = reader.ReadCount(8);
        if ((floor & 63) != 0 || count < floor)
            throw new InvalidDataException($"malformed settled set: floor {floor}, count {count}");
        var set = new SettledSet { Count = count, _floor = floor, _bits = new ulong[Math.Max(16, words)] };
        for (var i = 0; i < words; i++) set._bits[i] = reader.ReadUInt64();
        return set;
    }

    /// <summary>True if <paramref name="index"/> was not in the set and now is; false for a repeat.</summary>
    public bool TryAdd(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index < _floor) return false;
        var word = (index - _floor) >> 6;
        if (word >= _bits.Length)
        {
            DropFullWords();
            word = (index - _floor) >> 6;
            if (word >= _bits.Length)
            {
                var size = (long)_bits.Length;
                while (size <= word) size *= 2;
                Array.Resize(ref _bits, checked((int)size));
            }
        }
        var mask = 1UL << (int)((index - _floor) & 63);
        if ((_bits[word] & mask) != 0) return false;
        _bits[word] |= mask;
        Count++;
        return true;
    }

    // Moves the floor past the leading words whose every index has settled.
    private void DropFullWords()
    {
        var full = 0;
        while (full < _bits.Length && _bits[full] == ulong.MaxValue) full++;
        if (full == 0) return;
        Array.Copy(_bits, full, _bits, 0, _bits.Length - full);
        Array.Clear(_bits, _bits.Length - full, full);
        _floor += (long)full << 6;
    }
}

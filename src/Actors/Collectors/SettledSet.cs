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

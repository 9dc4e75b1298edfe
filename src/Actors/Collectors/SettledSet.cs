namespace ActorTasks.Tasks.Collectors;

/// <summary>Which task indexes have settled (succeeded or been given up on): one bit per task, grown as indexes arrive.</summary>
internal sealed class SettledSet
{
    private ulong[] _bits = new ulong[16];

    /// <summary>How many distinct indexes were added.</summary>
    public long Count { get; private set; }

    /// <summary>True if <paramref name="index"/> was not in the set and now is; false for a repeat.</summary>
    public bool TryAdd(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var word = index >> 6;
        if (word >= _bits.Length)
        {
            var size = _bits.LongLength;
            while (size <= word) size *= 2;
            Array.Resize(ref _bits, checked((int)size));
        }
        var mask = 1UL << (int)(index & 63);
        if ((_bits[word] & mask) != 0) return false;
        _bits[word] |= mask;
        Count++;
        return true;
    }
}

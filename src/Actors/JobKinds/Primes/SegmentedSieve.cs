using System.Buffers;
using System.Runtime.CompilerServices;

namespace ActorTasks.Tasks.JobKinds.Primes;

/// <summary>The primes of one segment [low, high), found by crossing out multiples of the base primes up to √high.</summary>
internal static class SegmentedSieve
{
    /// <summary>The odd primes up to and including <paramref name="limit"/>, by a plain sieve of Eratosthenes over odd numbers.</summary>
    public static int[] OddPrimesUpTo(long limit)
    {
        if (limit < 3)
            return [];
        // composite[k] stands for the odd number 2k+1.
        var composite = new bool[(limit - 1) / 2 + 1];
        var primes = new List<int>();
        for (long k = 1; k < composite.Length; k++)
        {
            if (composite[k])
                continue;
            var p = 2 * k + 1;
            primes.Add((int)p);
            for (var m = p * p; m <= limit; m += 2 * p)
                composite[(m - 1) / 2] = true;
        }
        return [.. primes];
    }

    /// <summary>Counts the primes in [<paramref name="low"/>, <paramref name="high"/>), their sum modulo 2^64 and the largest (−1 when none).</summary>
    /// <param name="oddBasePrimes">Every odd prime up to at least √(high−1), ascending.</param>
    public static (long Count, ulong Sum, long Largest) Sieve(long low, long high, int[] oddBasePrimes, CancellationToken cancellationToken)
    {
        long count = 0;
        ulong sum = 0;
        long largest = -1;
        if (low <= 2 && high > 2)
        {
            count = 1;
            sum = 2;
            largest = 2;
        }

        var start = Math.Max(low, 3);
        if ((start & 1) == 0)
            start++;
        if (start >= high)
            return (count, sum, largest);

        // composite[k] stands for the odd number start + 2k. A segment of 1M numbers needs 500 KB, which would be a
        // large-object allocation per task (and gen-2 collections competing with the tasks): the buffer is pooled.
        var length = (int)((high - start + 1) / 2);
        var rented = ArrayPool<bool>.Shared.Rent(length);
        try
        {
            return CountUnmarked(rented.AsSpan(0, length), start, high, oddBasePrimes, cancellationToken, count, sum, largest);
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(rented);
        }
    }

    // Fully optimized from the first call: otherwise a worker's first tasks run the loops as tier-0 code, and a node
    // new to a job is several times slower than one that has run it for a while.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (long Count, ulong Sum, long Largest) CountUnmarked(Span<bool> composite, long start, long high, int[] oddBasePrimes,
        CancellationToken cancellationToken, long count, ulong sum, long largest)
    {
        composite.Clear();
        for (var i = 0; i < oddBasePrimes.Length; i++)
        {
            long p = oddBasePrimes[i];
            if (p * p >= high)
                break;
            if ((i & 0x3FF) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            var first = Math.Max(p * p, (start + p - 1) / p * p);
            if ((first & 1) == 0)
                first += p;
            for (var k = (first - start) / 2; k < composite.Length; k += p)
                composite[(int)k] = true;
        }

        for (var k = 0; k < composite.Length; k++)
        {
            if (composite[k])
                continue;
            var n = start + 2L * k;
            count++;
            sum = unchecked(sum + (ulong)n);
            largest = n;
        }
        return (count, sum, largest);
    }
}

using System.Globalization;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Primes;

/// <summary><c>primes FROM TO [--chunk N]</c>: counts the primes in [FROM, TO) with a segmented sieve, one segment of N numbers per task.</summary>
/// <remarks>The result also carries the primes' sum modulo 2^64 and the largest prime, so that a reference can check more than a count.</remarks>
public sealed class PrimesJobKind : IJobKind
{
    /// <summary>The largest TO accepted: its square root bounds the base sieve every node holds (≈ 16 MB at this limit).</summary>
    public const long MaxTo = 1_000_000_000_000_000;

    private const long DefaultChunk = 1_000_000;
    private const long MaxChunk = 100_000_000;

    /// <inheritdoc />
    public string Name => "primes";

    /// <inheritdoc />
    public string Usage => "primes FROM TO [--chunk N]";

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments)
    {
        var parsed = JobArguments.Parse(arguments, Usage, ["FROM", "TO"], [new JobOption("--chunk", TakesValue: true)]);
        var from = JobArguments.ParseNumber("FROM", parsed.Positionals[0], 0, MaxTo);
        var to = JobArguments.ParseNumber("TO", parsed.Positionals[1], 0, MaxTo);
        if (from >= to)
            throw new JobArgumentException("TO", $"must be greater than FROM ({from.ToString(CultureInfo.InvariantCulture)}); the range [FROM, TO) is empty");
        var chunk = parsed.Number("--chunk", DefaultChunk, 1, MaxChunk);
        return new PrimesJob(from, to, chunk);
    }

    private sealed class PrimesJob(long from, long to, long chunk) : IPreparedJob
    {
        // Computed once per node on first use, then shared by every task the node runs for this job.
        private readonly Lazy<int[]> _basePrimes = new(() => SegmentedSieve.OddPrimesUpTo(IntegerSqrt(to - 1)));

        public IReadOnlyDictionary<string, int> ResourcesPerTask => NoResources.Instance;

        // One task per chunk, the last one shorter: the count Split yields, without overflow near long.MaxValue.
        public long? KnownTotal => (to - from) / chunk + ((to - from) % chunk == 0 ? 0 : 1);

        public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
        {
            for (var low = from; low < to; low += Math.Min(chunk, to - low))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var writer = new PayloadWriter(16);
                writer.WriteInt64(low);
                writer.WriteInt64(Math.Min(to, low + chunk));
                yield return writer.ToMemory();
            }
        }

        public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context)
        {
            var reader = new PayloadReader(task.Span, "primes task");
            var low = reader.ReadInt64();
            var high = reader.ReadInt64();
            reader.ExpectEnd();
            if (low < from || high > to || low >= high)
                throw new InvalidDataException($"malformed primes task payload: segment [{low}, {high}) is not inside [{from}, {to})");

            var (count, sum, largest) = SegmentedSieve.Sieve(low, high, _basePrimes.Value, context.CancellationToken);
            var writer = new PayloadWriter(24);
            writer.WriteInt64(count);
            writer.WriteUInt64(sum);
            writer.WriteInt64(largest);
            return ValueTask.FromResult(writer.ToMemory());
        }

        public IJobReducer CreateReducer() => new PrimesReducer(from, to);
    }

    /// <remarks>Saved state: version 1, varints tasks and count, the sum as 8 bytes, then varint largest + 1 (0 for none).</remarks>
    private sealed class PrimesReducer(long from, long to) : IResumableReducer
    {
        private long _count;
        private ulong _sum;
        private long _largest = -1;
        private long _tasks;

        public void Add(long taskIndex, ReadOnlyMemory<byte> result)
        {
            var reader = new PayloadReader(result.Span, "primes result");
            _count += reader.ReadInt64();
            _sum = unchecked(_sum + reader.ReadUInt64());
            _largest = Math.Max(_largest, reader.ReadInt64());
            reader.ExpectEnd();
            _tasks++;
        }

        public JobOutput Complete()
        {
            var inv = CultureInfo.InvariantCulture;
            var largest = _largest < 0 ? "none" : _largest.ToString(inv);
            return new JobOutput(
                [
                    new("range", $"[{from.ToString(inv)}, {to.ToString(inv)})"),
                    new("tasks", _tasks.ToString(inv)),
                    new("count", _count.ToString(inv)),
                    new("sum mod 2^64", _sum.ToString(inv)),
                    new("largest", largest),
                ],
                [$"{_count.ToString(inv)} primes in [{from.ToString(inv)}, {to.ToString(inv)}), largest {largest}"]);
        }

        public byte[] Save()
        {
            var writer = ReducerState.Begin(32);
            writer.WriteVarUInt64((ulong)_tasks);
            writer.WriteVarUInt64((ulong)_count);
            writer.WriteUInt64(_sum);
            writer.WriteVarUInt64((ulong)(_largest + 1));
            return writer.ToArray();
        }

        public void Restore(ReadOnlySpan<byte> state)
        {
            ReducerState.EnsureFresh(_tasks == 0, "primes");
            var (tasks, count, sum, largest) = ReducerState.Read(state, "primes", (ref PayloadReader reader) =>
            {
                var tasks = ReducerState.ReadCount64(ref reader);
                var count = ReducerState.ReadCount64(ref reader);
                var sum = reader.ReadUInt64();
                var largest = ReducerState.ReadCount64(ref reader) - 1;
                if (largest >= to || (largest >= 0 && largest < from) || count > to - from)
                    throw new InvalidDataException($"malformed primes reducer state: {count} primes, the largest {largest}, in [{from}, {to})");
                return (tasks, count, sum, largest);
            });
            (_tasks, _count, _sum, _largest) = (tasks, count, sum, largest);
        }
    }

    private static long IntegerSqrt(long n)
    {
        if (n < 0)
            return 0;
        var r = (long)Math.Sqrt(n);
        while (r * r > n)
            r--;
        while ((r + 1) * (r + 1) <= n)
            r++;
        return r;
    }
}

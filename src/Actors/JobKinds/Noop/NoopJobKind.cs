using System.Buffers.Binary;
using System.Globalization;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Noop;

/// <summary><c>noop N</c>: N tasks that each return their own index; the reducer sums them and checks the sum is exact.</summary>
/// <remarks>For benchmarks of per-task overhead: the work is nothing, so what is measured is the task system.</remarks>
public sealed class NoopJobKind : IJobKind
{
    /// <inheritdoc />
    public string Name => "noop";

    /// <inheritdoc />
    public string Usage => "noop N";

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments)
    {
        var parsed = JobArguments.Parse(arguments, Usage, ["N"], []);
        return new NoopJob(JobArguments.ParseNumber("N", parsed.Positionals[0], 0, long.MaxValue));
    }

    private sealed class NoopJob(long count) : IPreparedJob
    {
        public IReadOnlyDictionary<string, int> ResourcesPerTask => NoResources.Instance;

        public long? KnownTotal => count;

        public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
        {
            for (var i = 0L; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return Encode(i);
            }
        }

        public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Encode(Decode(task, "noop task")));
        }

        public IJobReducer CreateReducer() => new NoopReducer(count);
    }

    /// <remarks>Saved state: version 1, then varints tasks, wrong results, and the sum's low and high 64 bits.</remarks>
    private sealed class NoopReducer(long expectedTasks) : IResumableReducer
    {
        private UInt128 _sum;
        private long _tasks;
        private long _wrong;

        public void Add(long taskIndex, ReadOnlyMemory<byte> result)
        {
            var value = Decode(result, "noop result");
            if (value != taskIndex)
                _wrong++;
            _sum += (UInt128)(ulong)value;
            _tasks++;
        }

        public JobOutput Complete()
        {
            // 0 + 1 + … + (N-1), in 128 bits so that no N a long can hold overflows it.
            var n = (UInt128)(ulong)expectedTasks;
            var expected = n == 0 ? 0 : n * (n - 1) / 2;
            var exact = _tasks == expectedTasks && _wrong == 0 && _sum == expected;
            var inv = CultureInfo.InvariantCulture;
            return new JobOutput(
                [
                    new("tasks", _tasks.ToString(inv)),
                    new("sum", _sum.ToString(inv)),
                    new("expected", expected.ToString(inv)),
                    new("exact", exact ? "yes" : "no"),
                ],
                [$"{_tasks.ToString(inv)} of {expectedTasks.ToString(inv)} tasks, sum {_sum.ToString(inv)} ({(exact ? "exact" : "NOT exact")})"]);
        }

        public byte[] Save()
        {
            var writer = ReducerState.Begin(32);
            writer.WriteVarUInt64((ulong)_tasks);
            writer.WriteVarUInt64((ulong)_wrong);
            writer.WriteVarUInt64((ulong)_sum);
            writer.WriteVarUInt64((ulong)(_sum >> 64));
            return writer.ToArray();
        }

        public void Restore(ReadOnlySpan<byte> state)
        {
            ReducerState.EnsureFresh(_tasks == 0, "noop");
            var (tasks, wrong, sum) = ReducerState.Read(state, "noop", (ref PayloadReader reader) =>
            {
                var tasks = ReducerState.ReadCount64(ref reader);
                var wrong = ReducerState.ReadCount64(ref reader);
                var low = reader.ReadVarUInt64();
                var sum = new UInt128(reader.ReadVarUInt64(), low);
                if (tasks > expectedTasks || wrong > tasks)
                    throw new InvalidDataException($"malformed noop reducer state: {tasks} tasks ({wrong} wrong) of a job of {expectedTasks}");
                return (tasks, wrong, sum);
            });
            (_tasks, _wrong, _sum) = (tasks, wrong, sum);
        }
    }

    private static ReadOnlyMemory<byte> Encode(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    private static long Decode(ReadOnlyMemory<byte> payload, string what) =>
        payload.Length == 8
            ? BinaryPrimitives.ReadInt64LittleEndian(payload.Span)
            : throw new InvalidDataException($"malformed {what} payload: {payload.Length} bytes, expected 8");
}

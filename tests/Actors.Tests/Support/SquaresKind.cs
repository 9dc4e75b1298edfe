using System.Buffers.Binary;
using ActorTasks.Tasks.JobKinds;

namespace ActorTasks.Tasks.Tests.Support;

/// <summary>
/// A test job kind: <c>squares N</c> has tasks 0..N-1, task i computes i², the result is their sum. A test can hook
/// into every task (to fail, block or wait), declare resources per task, and read what happened in <see cref="Log"/>.
/// </summary>
public sealed class SquaresKind(string name = "squares") : IJobKind
{
    public string Name => name;

    public string Usage => $"{name} N";

    public TaskLog Log { get; } = new();

    /// <summary>Runs before task i computes its square, with the attempt number this task is on (1 for the first start).</summary>
    public Func<long, int, TaskContext, Task>? Hook { get; init; }

    public IReadOnlyDictionary<string, int> ResourcesPerTask { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// Whether the reducer can be saved and restored (<see cref="IResumableReducer"/>), so that a journaled job resumes
    /// from its last saved results; without, a resumed job runs again from its first task.
    /// </summary>
    public bool Resumable { get; init; } = true;

    /// <summary>When set, the job names resources per task (<see cref="ITaskResources"/>): task i needs these.</summary>
    public Func<long, IReadOnlyList<TaskResource>>? ResourcesForTask { get; init; }

    /// <summary>When set, the split throws instead of yielding this index.</summary>
    public long? SplitFailsAt { get; init; }

    /// <summary>How many times Prepare was called (once on the seed, once per consumer).</summary>
    public int Prepared => _prepared;

    private int _prepared;

    public IPreparedJob Prepare(IReadOnlyList<string> arguments)
    {
        if (arguments.Count != 1) throw new JobArgumentException("N", $"expected one argument, the number of tasks, but got {arguments.Count}");
        if (!long.TryParse(arguments[0], out var count) || count < 0)
            throw new JobArgumentException("N", $"expected a whole number of tasks, at least 0, but got '{arguments[0]}'");
        Interlocked.Increment(ref _prepared);
        return ResourcesForTask is null ? new Job(this, count) : new PerTaskResourcesJob(this, count);
    }

    public static long SumOfSquares(IEnumerable<long> indexes) => indexes.Sum(i => i * i);

    public static byte[] Payload(long i)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(payload, i);
        return payload;
    }

    public static long Value(byte[] result) => BinaryPrimitives.ReadInt64LittleEndian(result);

    public static long SumOfSquares(long count) => SumOfSquares(Enumerable.Range(0, (int)count).Select(i => (long)i));

    private sealed class PerTaskResourcesJob(SquaresKind kind, long count) : Job(kind, count), ITaskResources
    {
        private readonly Func<long, IReadOnlyList<TaskResource>> _resources = kind.ResourcesForTask!;

        public IReadOnlyList<TaskResource> ResourcesFor(ReadOnlyMemory<byte> task) =>
            _resources(BinaryPrimitives.ReadInt64LittleEndian(task.Span));
    }

    private class Job(SquaresKind kind, long count) : IPreparedJob
    {
        public IReadOnlyDictionary<string, int> ResourcesPerTask => kind.ResourcesPerTask;

        public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
        {
            for (long i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i == kind.SplitFailsAt) throw new IOException($"cannot read item {i}");
                kind.Log.OnPulled();
                var payload = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(payload, i);
                yield return payload;
            }
        }

        public async ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context)
        {
            var i = BinaryPrimitives.ReadInt64LittleEndian(task.Span);
            var attempt = kind.Log.OnStart(i);
            try
            {
                if (kind.Hook is { } hook)
                {
                    try
                    {
                        await hook(i, attempt, context);
                    }
                    catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
                    {
                        kind.Log.OnCancelObserved();
                        throw;
                    }
                }
                context.Report("items", 1);
                var result = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(result, i * i);
                return result;
            }
            finally
            {
                kind.Log.OnEnd();
            }
        }

        public IJobReducer CreateReducer() => kind.Resumable ? new ResumableReducer(kind.Log) : new Reducer(kind.Log);
    }

    private class Reducer(TaskLog log) : IJobReducer
    {
        protected long _sum;
        protected long _count;

        public void Add(long taskIndex, ReadOnlyMemory<byte> result)
        {
            log.OnReduced(taskIndex);
            _sum += BinaryPrimitives.ReadInt64LittleEndian(result.Span);
            _count++;
        }

        public JobOutput Complete() =>
            new([new("sum", _sum.ToString()), new("count", _count.ToString())], [$"sum of squares: {_sum}"]);
    }

    private sealed class ResumableReducer(TaskLog log) : Reducer(log), IResumableReducer
    {
        public byte[] Save()
        {
            var state = new byte[16];
            BinaryPrimitives.WriteInt64LittleEndian(state, _sum);
            BinaryPrimitives.WriteInt64LittleEndian(state.AsSpan(8), _count);
            return state;
        }

        public void Restore(ReadOnlySpan<byte> state)
        {
            if (state.Length != 16) throw new InvalidDataException($"a squares reducer's state is 16 bytes, not {state.Length}");
            _sum = BinaryPrimitives.ReadInt64LittleEndian(state);
            _count = BinaryPrimitives.ReadInt64LittleEndian(state[8..]);
        }
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Hash;

/// <summary><c>hash N [--rounds R]</c>: a CPU kernel; task i hashes its index with SHA-256 R times and the digests are XORed together.</summary>
/// <remarks>
/// Task i starts from the 8-byte little-endian i; round 1 hashes those bytes, every later round hashes the
/// previous 32-byte digest. XOR is commutative, so the job's digest does not depend on the order results arrive in.
/// </remarks>
public sealed class HashJobKind : IJobKind
{
    private const int DefaultRounds = 1000;

    /// <inheritdoc />
    public string Name => "hash";

    /// <inheritdoc />
    public string Usage => "hash N [--rounds R]";

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments)
    {
        var parsed = JobArguments.Parse(arguments, Usage, ["N"], [new JobOption("--rounds", TakesValue: true)]);
        var tasks = JobArguments.ParseNumber("N", parsed.Positionals[0], 1, long.MaxValue);
        var rounds = parsed.Number("--rounds", DefaultRounds, 1, int.MaxValue);
        return new HashJob(tasks, (int)rounds);
    }

    /// <summary>The digest task <paramref name="index"/> computes: SHA-256 applied <paramref name="rounds"/> times starting from the index's 8 little-endian bytes.</summary>
    public static byte[] TaskDigest(long index, int rounds, CancellationToken cancellationToken = default)
    {
        Span<byte> seed = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(seed, index);
        var digest = new byte[32];
        Span<byte> scratch = stackalloc byte[32];
        SHA256.HashData(seed, digest);
        for (var round = 1; round < rounds; round++)
        {
            if ((round & 0xFFF) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            SHA256.HashData(digest, scratch);
            scratch.CopyTo(digest);
        }
        return digest;
    }

    private sealed class HashJob(long tasks, int rounds) : IPreparedJob
    {
        public IReadOnlyDictionary<string, int> ResourcesPerTask => NoResources.Instance;

        public long? KnownTotal => tasks;

        public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
        {
            for (var i = 0L; i < tasks; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var payload = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(payload, i);
                yield return payload;
            }
        }

        public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context)
        {
            if (task.Length != 8)
                throw new InvalidDataException($"malformed hash task payload: {task.Length} bytes, expected 8");
            var index = BinaryPrimitives.ReadInt64LittleEndian(task.Span);
            return ValueTask.FromResult<ReadOnlyMemory<byte>>(TaskDigest(index, rounds, context.CancellationToken));
        }

        public IJobReducer CreateReducer() => new HashReducer(tasks, rounds);
    }

    /// <remarks>Saved state: version 1, varint tasks, then the 32 bytes of the digest so far.</remarks>
    private sealed class HashReducer(long expectedTasks, int rounds) : IResumableReducer
    {
        private readonly byte[] _digest = new byte[32];
        private long _tasks;

        public void Add(long taskIndex, ReadOnlyMemory<byte> result)
        {
            if (result.Length != 32)
                throw new InvalidDataException($"malformed hash result payload for task {taskIndex}: {result.Length} bytes, expected 32");
            var span = result.Span;
            for (var i = 0; i < 32; i++)
                _digest[i] ^= span[i];
            _tasks++;
        }

        public JobOutput Complete()
        {
            var hex = Convert.ToHexStringLower(_digest);
            var inv = CultureInfo.InvariantCulture;
            return new JobOutput(
                [
                    new("tasks", _tasks.ToString(inv)),
                    new("rounds", rounds.ToString(inv)),
                    new("digest", hex),
                ],
                [_tasks == expectedTasks ? hex : $"{hex} (partial: {_tasks.ToString(inv)} of {expectedTasks.ToString(inv)} tasks)"]);
        }

        public byte[] Save()
        {
            var writer = ReducerState.Begin(48);
            writer.WriteVarUInt64((ulong)_tasks);
            writer.WriteBytes(_digest);
            return writer.ToArray();
        }

        public void Restore(ReadOnlySpan<byte> state)
        {
            ReducerState.EnsureFresh(_tasks == 0, "hash");
            var (tasks, digest) = ReducerState.Read(state, "hash", (ref PayloadReader reader) =>
            {
                var tasks = ReducerState.ReadCount64(ref reader);
                if (tasks > expectedTasks)
                    throw new InvalidDataException($"malformed hash reducer state: {tasks} tasks of a job of {expectedTasks}");
                return (tasks, reader.ReadBytes(32).ToArray());
            });
            _tasks = tasks;
            digest.CopyTo(_digest, 0);
        }
    }
}

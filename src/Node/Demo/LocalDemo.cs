using System.Diagnostics;
using ActorTasks.Actor;
using ActorTasks.Routing;

namespace ActorTasks.Node.Demo;

/// <summary>
/// The local demo: count the primes below a limit with a pool of worker actors. The range is split into
/// chunks; a collector sends them to a smallest-mailbox pool, counts each chunk's result once (by chunk id),
/// and re-sends chunks that never came back. One chunk makes its worker crash the first time, to show the
/// pool restarting the worker and the collector retrying the chunk. The answer is checked against a
/// single-threaded count.
/// </summary>
internal static class LocalDemo
{
    public sealed record Chunk(int Id, long From, long To, bool CrashOnce);

    public sealed record ChunkDone(int Id, long Primes, string Worker);

    public sealed record Finished(long Primes, int Chunks, int Retries, IReadOnlyDictionary<string, int> ChunksPerWorker);

    public static async Task<int> RunAsync(ActorSystem system, long limit, int workers, int chunkSize, TextWriter output)
    {
        output.WriteLine($"ActorTasks local demo: counting primes below {limit:N0} with {workers} worker actors ({Environment.ProcessorCount} cores)");
        var done = new TaskCompletionSource<Finished>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pool = system.ActorOf(Props.Create<PrimeWorker>().WithRouter(new SmallestMailboxPool(workers)), "workers");
        var chunks = Split(limit, chunkSize).ToArray();
        var sw = Stopwatch.StartNew();
        system.ActorOf(Props.Create(() => new Collector(pool, chunks, output, done)), "collector");
        var result = await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var parallel = sw.Elapsed;

        sw.Restart();
        var expected = PrimeWorker.CountPrimes(2, limit);
        var serial = sw.Elapsed;

        output.WriteLine($"primes below {limit:N0}: {result.Primes:N0} in {parallel.TotalMilliseconds:N0} ms over {result.Chunks} chunks ({result.Retries} retried)");
        foreach (var (worker, count) in result.ChunksPerWorker.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            output.WriteLine($"  {worker}: {count} chunks");
        output.WriteLine($"single-threaded check: {expected:N0} in {serial.TotalMilliseconds:N0} ms -> {(expected == result.Primes ? "same answer" : "MISMATCH")}");
        await pool.GracefulStop(TimeSpan.FromSeconds(5));
        return expected == result.Primes ? 0 : 1;
    }

    private static IEnumerable<Chunk> Split(long limit, int chunkSize)
    {
        var id = 0;
        for (long from = 2; from < limit; from += chunkSize)
        {
            // The fourth chunk crashes its worker once: the pool restarts the worker, the collector retries.
            yield return new Chunk(id, from, Math.Min(limit, from + chunkSize), CrashOnce: id == 3);
            id++;
        }
    }

    /// <summary>Counts the primes in one chunk; crashes on a chunk marked to crash (once per chunk).</summary>
    private sealed class PrimeWorker : ReceiveActor
    {
        public PrimeWorker()
        {
            Receive<Chunk>(chunk =>
            {
                if (chunk.CrashOnce)
                    throw new InvalidOperationException($"simulated fault while counting chunk {chunk.Id}");
                Sender.Tell(new ChunkDone(chunk.Id, CountPrimes(chunk.From, chunk.To), Self.Path.Name));
            });
        }

        public static long CountPrimes(long from, long to)
        {
            long count = 0;
            for (var n = Math.Max(2, from); n < to; n++)
            {
                if (IsPrime(n)) count++;
            }
            return count;
        }

        private static bool IsPrime(long n)
        {
            if (n < 4) return n >= 2;
            if (n % 2 == 0 || n % 3 == 0) return false;
            for (long i = 5; i * i <= n; i += 6)
                if (n % i == 0 || n % (i + 2) == 0) return false;
            return true;
        }
    }

    /// <summary>Hands out the chunks, counts each result once, and retries chunks that went missing.</summary>
    private sealed class Collector : ReceiveActor
    {
        private static readonly TimeSpan SilenceBeforeRetry = TimeSpan.FromMilliseconds(300);

        private readonly Dictionary<int, Chunk> _pending;
        private readonly Dictionary<string, int> _perWorker = new(StringComparer.Ordinal);
        private readonly int _total;
        private long _primes;
        private int _retries;
        private int _lastQuarter;

        public Collector(IActorRef pool, IReadOnlyList<Chunk> chunks, TextWriter output, TaskCompletionSource<Finished> done)
        {
            _pending = chunks.ToDictionary(c => c.Id);
            _total = chunks.Count;
            foreach (var chunk in chunks) pool.Tell(chunk, Self);
            // No result for a while: whatever is still pending was lost (its worker crashed); send it again.
            SetReceiveTimeout(SilenceBeforeRetry);

            Receive<ChunkDone>(result =>
            {
                if (!_pending.Remove(result.Id)) return; // a duplicate from a retry: counted already
                _primes += result.Primes;
                _perWorker[result.Worker] = _perWorker.GetValueOrDefault(result.Worker) + 1;
                var quarter = (_total - _pending.Count) * 4 / _total;
                if (quarter > _lastQuarter)
                {
                    _lastQuarter = quarter;
                    output.WriteLine($"  progress: {quarter * 25,3}%  ({_total - _pending.Count}/{_total} chunks, {_primes:N0} primes so far)");
                }
                if (_pending.Count == 0)
                {
                    done.TrySetResult(new Finished(_primes, _total, _retries, _perWorker));
                    Context.Stop(Self);
                }
            });
            Receive<ReceiveTimeout>(_ =>
            {
                foreach (var lost in _pending.Values)
                {
                    _retries++;
                    output.WriteLine($"  chunk {lost.Id} got no answer for {SilenceBeforeRetry.TotalMilliseconds:0} ms (its worker crashed and was restarted by the pool); sending it again");
                    pool.Tell(lost with { CrashOnce = false }, Self);
                }
            });
        }
    }
}

using System.Buffers.Binary;
using System.Diagnostics;
using System.Threading.Channels;
using ActorTasks.Messages;
using ActorTasks.Tasks;
using ActorTasks.Tasks.Configuration;
using ActorTasks.Tasks.JobKinds;
using Akka.Actor;
using Akka.Configuration;

namespace ActorTasks.Bench;

/// <summary>
/// One job of 200,000 trivial tasks (square a number; the result is their sum) through the whole task system in one
/// process: job manager, producer, a consumer per core, collector. Baseline in the same run: the same split, process
/// and reduce of the same job kind through a plain pipeline — a producer loop, a consumer per core and a collector
/// joined by bounded <see cref="Channel{T}"/>s, with the same batch size the consumers pull.
/// </summary>
public sealed class TaskThroughputLocalBench : IBenchmark
{
    public string Name => "task-throughput-local";

    public string Description => "trivial tasks/s through producer, consumers and collector in one process vs a Channel pipeline";

    public async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var tasks = options.Quick ? 50_000 : 200_000;
        var settings = TaskSystemSettings.Default;
        var consumers = settings.EffectiveConsumersPerNode;
        var kind = new SquareKind();
        var registry = new JobKindRegistry().Register(kind);
        var expected = Enumerable.Range(0, tasks).Sum(i => (long)i * i);

        // Warm-up: JIT and tiering for both sides.
        await RunActorsAsync(registry, settings, 50_000);
        await RunPipelineAsync(kind, 50_000, consumers, settings.Prefetch);

        var values = new List<double>();
        var baselines = new List<double>();
        // A run takes well under a second, so five of them (at least) for a steadier median on a noisy machine.
        for (var run = 0; run < Math.Max(5, options.Runs); run++)
        {
            var (actorRate, actorSum) = await RunActorsAsync(registry, settings, tasks);
            var (pipelineRate, pipelineSum) = await RunPipelineAsync(kind, tasks, consumers, settings.Prefetch);
            if (actorSum != expected || pipelineSum != expected)
                throw new InvalidOperationException($"wrong result: actors {actorSum}, pipeline {pipelineSum}, expected {expected}");
            values.Add(actorRate);
            baselines.Add(pipelineRate);
            Console.WriteLine($"run {run + 1}: task system {actorRate:N0} tasks/s   channel pipeline {pipelineRate:N0} tasks/s   ratio {actorRate / pipelineRate:0.00}");
        }
        return new BenchResult(Name, Measure.Median(values), "tasks/s", Measure.Median(baselines),
            Extra: new Dictionary<string, object> { ["tasks"] = tasks, ["consumers"] = consumers, ["prefetch"] = settings.Prefetch });
    }

    private static async Task<(double Rate, long Sum)> RunActorsAsync(JobKindRegistry registry, TaskSystemSettings settings, int tasks)
    {
        // A node's own configuration (hocon/actortasks.conf), without remoting or cluster: everything stays in this process.
        var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(TaskSystemConfig.Reference);
        var system = ActorSystem.Create("tasks", config);
        try
        {
            var actors = TaskSystem.StartLocal(system, registry, settings);
            var finished = new TaskCompletionSource<JobFinished>(TaskCreationOptions.RunContinuationsAsynchronously);
            // Let the consumers register before the clock starts, as on a running node.
            await actors.JobManager.Ask<JobList>(ListJobs.Instance, TimeSpan.FromSeconds(10));
            var sw = Stopwatch.StartNew();
            var submit = new SubmitJob("square", [tasks.ToString()], JobOptions.Default);
            system.ActorOf(Props.Create(() => new Submitter(actors.JobManager, submit, finished)));
            var result = await finished.Task.WaitAsync(TimeSpan.FromMinutes(5));
            var rate = tasks / sw.Elapsed.TotalSeconds;
            if (result.State != JobState.Completed) throw new InvalidOperationException($"job ended {result.State}: {result.Reason}");
            return (rate, long.Parse(result.Summary[0].Value));
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private static async Task<(double Rate, long Sum)> RunPipelineAsync(SquareKind kind, int tasks, int consumers, int batch)
    {
        var job = kind.Prepare([tasks.ToString()]);
        var reducer = job.CreateReducer();
        var work = Channel.CreateBounded<WorkItem[]>(new BoundedChannelOptions(consumers * 2) { SingleWriter = true });
        var results = Channel.CreateBounded<TaskSucceeded[]>(new BoundedChannelOptions(consumers * 2) { SingleReader = true });
        var sw = Stopwatch.StartNew();
        var producer = Task.Run(async () =>
        {
            var index = 0L;
            var buffer = new List<WorkItem>(batch);
            foreach (var payload in job.Split(CancellationToken.None))
            {
                buffer.Add(new WorkItem(index++, payload.ToArray(), 1));
                if (buffer.Count < batch) continue;
                await work.Writer.WriteAsync([.. buffer]);
                buffer.Clear();
            }
            if (buffer.Count > 0) await work.Writer.WriteAsync([.. buffer]);
            work.Writer.Complete();
        });
        var workers = Enumerable.Range(0, consumers).Select(_ => Task.Run(async () =>
        {
            var context = new TaskContext(CancellationToken.None);
            await foreach (var items in work.Reader.ReadAllAsync())
            {
                var done = new TaskSucceeded[items.Length];
                for (var i = 0; i < items.Length; i++)
                    done[i] = new TaskSucceeded(items[i].Index, 1, (await job.ProcessAsync(items[i].Payload, context)).ToArray());
                await results.Writer.WriteAsync(done);
            }
        })).ToArray();
        var collector = Task.Run(async () =>
        {
            await foreach (var done in results.Reader.ReadAllAsync())
                foreach (var r in done) reducer.Add(r.Index, r.Result);
        });
        await Task.WhenAll(workers);
        results.Writer.Complete();
        await Task.WhenAll(producer, collector);
        var rate = tasks / sw.Elapsed.TotalSeconds;
        return (rate, long.Parse(reducer.Complete().Summary[0].Value));
    }

    /// <summary>Submits one job and completes <paramref name="finished"/> with its outcome.</summary>
    private sealed class Submitter : ReceiveActor
    {
        public Submitter(IActorRef jobs, SubmitJob submit, TaskCompletionSource<JobFinished> finished)
        {
            Receive<JobAccepted>(_ => { });
            Receive<JobRejected>(r => finished.TrySetException(new InvalidOperationException(r.Reason)));
            Receive<JobFinished>(f => finished.TrySetResult(f));
            jobs.Tell(submit, Self);
        }
    }

    /// <summary><c>square N</c>: tasks 0..N-1, each squares its number; the result is the sum.</summary>
    private sealed class SquareKind : IJobKind
    {
        public string Name => "square";

        public string Usage => "square N";

        public IPreparedJob Prepare(IReadOnlyList<string> arguments) =>
            long.TryParse(arguments.FirstOrDefault(), out var n) && n >= 0
                ? new Job(n)
                : throw new JobArgumentException("N", "expected a whole number of tasks");

        private sealed class Job(long count) : IPreparedJob
        {
            public IReadOnlyDictionary<string, int> ResourcesPerTask { get; } = new Dictionary<string, int>();

            public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken)
            {
                for (long i = 0; i < count; i++)
                {
                    var payload = new byte[8];
                    BinaryPrimitives.WriteInt64LittleEndian(payload, i);
                    yield return payload;
                }
            }

            public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context)
            {
                var i = BinaryPrimitives.ReadInt64LittleEndian(task.Span);
                var result = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(result, i * i);
                return new(result);
            }

            public IJobReducer CreateReducer() => new Reducer();
        }

        private sealed class Reducer : IJobReducer
        {
            private long _sum;

            public void Add(long taskIndex, ReadOnlyMemory<byte> result) => _sum += BinaryPrimitives.ReadInt64LittleEndian(result.Span);

            public JobOutput Complete() => new([new("sum", _sum.ToString())], []);
        }
    }
}

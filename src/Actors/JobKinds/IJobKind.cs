namespace ActorTasks.Tasks.JobKinds;

/// <summary>A kind of job (grep, csv-stats, …): validates its arguments and prepares jobs of that kind.</summary>
/// <remarks>
/// A job runs in three places. The seed prepares it, splits it into tasks (Producer) and reduces
/// the results (Collector); worker nodes process tasks (Consumer). Every node prepares the job
/// from the same arguments, so task and result payloads are bytes the kind itself encodes and
/// decodes; nothing about a job crosses the wire but its kind name, its arguments and these bytes.
/// </remarks>
public interface IJobKind
{
    /// <summary>The name users type after <c>submit</c>, e.g. <c>grep</c>.</summary>
    string Name { get; }

    /// <summary>One-line usage, e.g. <c>grep PATTERN PATH [--glob '*.log'] [--ignore-case]</c>.</summary>
    string Usage { get; }

    /// <summary>Parses and validates the arguments; throws <see cref="JobArgumentException"/> naming the bad one.</summary>
    IPreparedJob Prepare(IReadOnlyList<string> arguments);

    /// <summary>
    /// The arguments with the files and folders they name made absolute against <paramref name="directory"/> (where the
    /// user typed them), so that the seed and every worker read the same files whatever their own working directory.
    /// Called where a job is submitted, before it is sent; a kind without path arguments keeps the default.
    /// </summary>
    IReadOnlyList<string> ResolvePaths(IReadOnlyList<string> arguments, string directory) => arguments;
}

/// <summary>A job whose arguments have been validated: it can be split, its tasks processed and its results reduced.</summary>
public interface IPreparedJob
{
    /// <summary>Permits each task must hold while it runs, by resource name (e.g. <c>disk = 2</c>); empty when none.</summary>
    IReadOnlyDictionary<string, int> ResourcesPerTask { get; }

    /// <summary>Yields task payloads lazily, so a job over millions of items never holds them all.</summary>
    IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken);

    /// <summary>Processes one task payload and returns its encoded result.</summary>
    ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context);

    /// <summary>A fresh reducer that folds results in as they arrive, in any order.</summary>
    IJobReducer CreateReducer();
}

/// <summary>Folds task results into the job's result incrementally.</summary>
public interface IJobReducer
{
    /// <summary>Adds the result of task number <paramref name="taskIndex"/> (its position in the split, from 0); each index is added at most once.</summary>
    void Add(long taskIndex, ReadOnlyMemory<byte> result);

    /// <summary>The job's result so far: complete once every task has been added, partial after a cancel.</summary>
    JobOutput Complete();
}

/// <summary>What a running task can see: its cancellation token and a way to report named progress counters.</summary>
public sealed class TaskContext(CancellationToken cancellationToken, Action<string, long>? reportProgress = null)
{
    /// <summary>Cancelled when the job is cancelled or the task is abandoned.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Adds <paramref name="delta"/> to the job's counter <paramref name="counter"/> (e.g. <c>files</c>, <c>matches</c>).</summary>
    public void Report(string counter, long delta) => reportProgress?.Invoke(counter, delta);
}

/// <summary>A job's result: a short summary (named values) and result lines, both in a stable order.</summary>
public sealed record JobOutput(IReadOnlyList<KeyValuePair<string, string>> Summary, IReadOnlyList<string> Lines);

/// <summary>A job argument that is missing, malformed or points at something that does not exist.</summary>
public sealed class JobArgumentException(string argument, string message)
    : Exception($"{argument}: {message}")
{
    /// <summary>The argument at fault, e.g. <c>PATTERN</c> or <c>--column</c>.</summary>
    public string Argument { get; } = argument;
}

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

    /// <summary>
    /// How many tasks <see cref="Split"/> will yield, when the job knows it before splitting (<c>noop N</c>: N), so that
    /// progress shows a percentage and an ETA from the first report; null (the default) when only the split's end tells.
    /// Shown only: the job ends by the split's own count.
    /// </summary>
    long? KnownTotal => null;

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

/// <summary>
/// A reducer whose partial state can be saved and restored, so that a job resumes after its seed restarts (or its job
/// manager moves to another seed) from the last results the journal holds, not from its first task. Every built-in kind
/// implements it; a plug-in whose reducer does not resumes its jobs from their first task.
/// </summary>
/// <remarks>
/// <see cref="Save"/> writes everything <see cref="IJobReducer.Add"/> has folded in so far; <see cref="Restore"/> is called
/// on a fresh reducer of the same prepared job (the same kind and arguments) before any <see cref="IJobReducer.Add"/>,
/// and must leave it exactly as the saved one was: adding the remaining results then gives the output a reducer that
/// saw every result would give. The bytes are the kind's own; a kind should put a version byte first. Bytes it cannot
/// read throw <see cref="InvalidDataException"/>.
/// </remarks>
public interface IResumableReducer : IJobReducer
{
    /// <summary>The reducer's state so far.</summary>
    byte[] Save();

    /// <summary>Takes the state <see cref="Save"/> wrote; called on a fresh reducer, before any result is added.</summary>
    void Restore(ReadOnlySpan<byte> state);
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

using ActorTasks.Tasks.JobKinds;

namespace BrokenPlugins;

/// <summary>A kind that works: <c>echo WORD…</c> returns its arguments, one task each.</summary>
public sealed class EchoJobKind : IJobKind
{
    /// <inheritdoc />
    public string Name => "echo";

    /// <inheritdoc />
    public string Usage => "echo WORD…";

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments) => new EchoJob(arguments);

    private sealed class EchoJob(IReadOnlyList<string> words) : IPreparedJob
    {
        public IReadOnlyDictionary<string, int> ResourcesPerTask { get; } = new Dictionary<string, int>();

        public IEnumerable<ReadOnlyMemory<byte>> Split(CancellationToken cancellationToken) =>
            words.Select(w => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(w));

        public ValueTask<ReadOnlyMemory<byte>> ProcessAsync(ReadOnlyMemory<byte> task, TaskContext context) => ValueTask.FromResult(task);

        public IJobReducer CreateReducer() => new EchoReducer();
    }

    private sealed class EchoReducer : IJobReducer
    {
        private readonly SortedDictionary<long, string> _words = [];

        public void Add(long taskIndex, ReadOnlyMemory<byte> result) => _words.Add(taskIndex, System.Text.Encoding.UTF8.GetString(result.Span));

        public JobOutput Complete() => new([], [.. _words.Values]);
    }
}

/// <summary>A kind whose constructor throws: the loader must report it and go on.</summary>
public sealed class ThrowingJobKind : IJobKind
{
    /// <summary>Always throws.</summary>
    public ThrowingJobKind() => throw new InvalidOperationException("the licence server is unreachable");

    /// <inheritdoc />
    public string Name => "throwing";

    /// <inheritdoc />
    public string Usage => "throwing";

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments) => throw new NotSupportedException();
}

/// <summary>A kind that takes the name of a built-in kind: refused as a duplicate.</summary>
public sealed class ImpostorGrepJobKind : IJobKind
{
    /// <inheritdoc />
    public string Name => "grep";

    /// <inheritdoc />
    public string Usage => "grep";

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments) => throw new NotSupportedException();
}

/// <summary>Abstract: skipped without a problem.</summary>
public abstract class AbstractJobKind : IJobKind
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public string Usage => Name;

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments) => throw new NotSupportedException();
}

/// <summary>No parameterless constructor: skipped without a problem.</summary>
public sealed class NeedsArgumentJobKind(string name) : IJobKind
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public string Usage => name;

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments) => throw new NotSupportedException();
}

/// <summary>A kind whose base class lives in a library that is missing at run time: its type cannot load.</summary>
public sealed class NeedsMissingLibraryJobKind : MissingDependency.LicensedBase, IJobKind
{
    /// <inheritdoc />
    public string Name => "licensed";

    /// <inheritdoc />
    public string Usage => "licensed";

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments) => throw new NotSupportedException();
}

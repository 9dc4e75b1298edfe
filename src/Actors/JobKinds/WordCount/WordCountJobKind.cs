using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.WordCount;

/// <summary><c>wordcount PATH… [--top 20]</c>: case-folded word counts over files and directory trees, the top N by count then alphabetically.</summary>
/// <remarks>The word definition is on <see cref="WordScanner"/>.</remarks>
public sealed class WordCountJobKind : IJobKind
{
    private const long DefaultTop = 20;
    private readonly WordCountTuning _tuning;

    /// <summary>A wordcount kind with the default batch and chunk sizes.</summary>
    public WordCountJobKind() : this(WordCountTuning.Default)
    {
    }

    internal WordCountJobKind(WordCountTuning tuning) => _tuning = tuning;

    /// <inheritdoc />
    public string Name => "wordcount";

    /// <inheritdoc />
    public string Usage => "wordcount PATH… [--top 20]";

    /// <inheritdoc />
    public IReadOnlyList<string> ResolvePaths(IReadOnlyList<string> arguments, string directory) =>
        JobArguments.ResolvePaths(arguments, Options, _ => true, directory);

    private static readonly JobOption[] Options = [new JobOption("--top", TakesValue: true)];

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments)
    {
        var parsed = JobArguments.Parse(arguments, Usage, ["PATH"], Options, lastIsVariadic: true);
        var top = parsed.Number("--top", DefaultTop, 1, 1_000_000);
        foreach (var path in parsed.Positionals)
        {
            if (path.Length == 0 || !FileTree.Exists(path))
                throw new JobArgumentException("PATH", $"no such file or directory: '{path}'");
        }
        return new WordCountJob(parsed.Positionals, (int)top, _tuning);
    }
}

/// <summary>
/// How wordcount makes tasks: files up to <paramref name="ChunkBytes"/> are batched (up to <paramref name="MaxFiles"/> a
/// task), larger files are cut into ranges of that size. A range of distinct words returns about 1.5 times its size, so
/// 1 MiB keeps a task's result under the 3 MiB a result may be (<c>actortasks.tasks.max-result-bytes</c>).
/// </summary>
internal sealed record WordCountTuning(int MaxFiles, long ChunkBytes)
{
    public static readonly WordCountTuning Default = new(64, 1L << 20);
}

using System.IO.Enumeration;
using System.Text.RegularExpressions;
using ActorTasks.Tasks.JobKinds.Common;

namespace ActorTasks.Tasks.JobKinds.Grep;

/// <summary><c>grep PATTERN PATH [--glob '*.log'] [--ignore-case]</c>: a .NET regular expression over the lines of a file or a directory tree.</summary>
public sealed class GrepJobKind : IJobKind
{
    /// <summary>How long one line may take to match before that file is reported as an error.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private readonly GrepTuning _tuning;

    /// <summary>A grep kind with the default batch sizes.</summary>
    public GrepJobKind() : this(GrepTuning.Default)
    {
    }

    internal GrepJobKind(GrepTuning tuning) => _tuning = tuning;

    /// <inheritdoc />
    public string Name => "grep";

    /// <inheritdoc />
    public string Usage => "grep PATTERN PATH [--glob '*.log'] [--ignore-case]";

    private static readonly JobOption[] Options =
        [new JobOption("--glob", TakesValue: true, Repeatable: true), new JobOption("--ignore-case", TakesValue: false)];

    /// <inheritdoc />
    public IReadOnlyList<string> ResolvePaths(IReadOnlyList<string> arguments, string directory) =>
        JobArguments.ResolvePaths(arguments, Options, position => position == 1, directory);

    /// <inheritdoc />
    public IPreparedJob Prepare(IReadOnlyList<string> arguments)
    {
        var parsed = JobArguments.Parse(arguments, Usage, ["PATTERN", "PATH"], Options);

        var options = RegexOptions.CultureInvariant | RegexOptions.Compiled;
        if (parsed.Has("--ignore-case"))
            options |= RegexOptions.IgnoreCase;
        Regex regex;
        try
        {
            regex = new Regex(parsed.Positionals[0], options, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new JobArgumentException("PATTERN", e.Message);
        }

        var path = parsed.Positionals[1];
        if (path.Length == 0 || !FileTree.Exists(path))
            throw new JobArgumentException("PATH", $"no such file or directory: '{path}'");

        var globs = parsed.All("--glob");
        foreach (var glob in globs)
        {
            if (glob.Length == 0 || glob.Contains('/') || glob.Contains('\\'))
                throw new JobArgumentException("--glob", $"'{glob}' must be a non-empty file-name pattern (* and ?), without a directory part");
        }

        return new GrepJob(regex, path, globs, _tuning);
    }

    /// <summary>True when <paramref name="fileName"/> matches one of <paramref name="globs"/> (<c>*</c> and <c>?</c>), or there are none.</summary>
    internal static bool MatchesAnyGlob(IReadOnlyList<string> globs, string fileName) =>
        globs.Count == 0 || globs.Any(g => FileSystemName.MatchesSimpleExpression(g, fileName, ignoreCase: false));
}

/// <summary>
/// How grep cuts work into tasks: a task holds up to <paramref name="MaxFiles"/> files and about <paramref name="MaxBytes"/>
/// bytes; a file larger than <paramref name="RangeBytes"/> is searched in ranges of that size, a task each. Every line
/// may match, so a task's result can be a few times its input (short lines, long paths): 512 KiB keeps it well under the
/// 3 MiB a result may be (<c>actortasks.tasks.max-result-bytes</c>).
/// </summary>
internal sealed record GrepTuning(int MaxFiles, long MaxBytes, long RangeBytes = GrepTuning.DefaultRangeBytes)
{
    public const long DefaultRangeBytes = 512 * 1024;

    public static readonly GrepTuning Default = new(64, DefaultRangeBytes);
}

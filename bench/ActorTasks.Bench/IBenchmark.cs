namespace ActorTasks.Bench;

/// <summary>One named benchmark: measures a value and a baseline in the same run.</summary>
public interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    Task<BenchResult> RunAsync(BenchOptions options);
}

/// <summary>Command-line options shared by every benchmark; <paramref name="Keep"/> keeps generated inputs (--keep).</summary>
public sealed record BenchOptions(bool Quick, int Runs, bool Keep = false)
{
    /// <summary>The whole command line, for a benchmark's own options (e.g. chaos's <c>--minutes</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];
}

/// <summary>
/// The result printed as the last line: the measured value, the same-run baseline and their
/// ratio. For "higher is better" units the ratio is value / baseline; for costs (times,
/// bytes) it is baseline / value, so a ratio above 1 always means "better than baseline".
/// </summary>
public sealed record BenchResult(string Bench, double Value, string Unit, double? Baseline, bool HigherIsBetter = true,
    IReadOnlyDictionary<string, object>? Extra = null)
{
    public double? Ratio => Baseline is { } b && b > 0 && Value > 0
        ? (HigherIsBetter ? Value / b : b / Value)
        : null;
}

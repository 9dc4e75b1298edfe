namespace ActorTasks.Hocon;

/// <summary>Where a value was defined: a file or other named source, and a 1-based line and column (0 when unknown).</summary>
public sealed record ConfigOrigin(string Description, int Line = 0, int Column = 0)
{
    /// <summary>Origin of values that were not read from any text.</summary>
    public static readonly ConfigOrigin None = new("(no origin)");

    /// <summary>
    /// False for sources that are a single value rather than a file (an environment variable, a
    /// command-line argument): values parsed from them carry the description without line and column.
    /// </summary>
    public bool TracksPositions { get; init; } = true;

    /// <summary>An origin named by its description alone, whose values never carry a line or column.</summary>
    public static ConfigOrigin Named(string description) => new(description) { TracksPositions = false };

    public ConfigOrigin At(int line, int column) => TracksPositions ? new(Description, line, column) : this;

    /// <summary><c>file:line</c>, or the description alone when there is no line.</summary>
    public override string ToString() => Line > 0 ? $"{Description}:{Line}" : Description;

    /// <summary><c>file:line:column</c> where known.</summary>
    public string ToStringWithColumn() =>
        Line <= 0 ? Description : Column > 0 ? $"{Description}:{Line}:{Column}" : $"{Description}:{Line}";
}

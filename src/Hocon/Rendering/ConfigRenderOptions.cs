namespace ActorTasks.Hocon;

/// <summary>How HOCON is rendered.</summary>
public sealed record ConfigRenderOptions
{
    /// <summary>Multi-line, no comments.</summary>
    public static readonly ConfigRenderOptions Default = new();

    /// <summary>Like <see cref="Default"/>; used by <see cref="ConfigValue.ToString"/>.</summary>
    public static readonly ConfigRenderOptions Concise = new();

    /// <summary>Multi-line, each value preceded by a comment naming where it was defined.</summary>
    public static readonly ConfigRenderOptions WithOrigins = new() { OriginComments = true };

    /// <summary>Write a <c># file:line</c> comment above every value that is not an object.</summary>
    public bool OriginComments { get; init; }

    /// <summary>Spaces per level.</summary>
    public int Indent { get; init; } = 4;
}

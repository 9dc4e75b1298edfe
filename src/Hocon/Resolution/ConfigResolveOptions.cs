namespace ActorTasks.Hocon;

/// <summary>How substitutions are resolved.</summary>
public sealed record ConfigResolveOptions
{
    /// <summary>Default: fall back to the process environment for substitutions missing from the tree.</summary>
    public static readonly ConfigResolveOptions Default = new();

    /// <summary>
    /// Looks up an environment variable by name for a substitution the tree does not define;
    /// null means the process environment. Empty values count as not set.
    /// </summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>When false, substitutions are never looked up in the environment.</summary>
    public bool UseEnvironment { get; init; } = true;
}

namespace ActorTasks.Hocon;

/// <summary><c>${path}</c> or <c>${?path}</c>, waiting for resolution.</summary>
internal sealed class ConfigSubstitution : ConfigValue
{
    public ConfigSubstitution(ConfigPath path, bool optional, ConfigOrigin origin, ConfigPath? writtenPath = null) : base(origin)
    {
        Path = path;
        Optional = optional;
        WrittenPath = writtenPath ?? path;
    }

    /// <summary>The absolute path looked up (prefixed with the include point for included files).</summary>
    public ConfigPath Path { get; }

    /// <summary>The path as written; the fall-back look-up for included files and the environment variable name.</summary>
    public ConfigPath WrittenPath { get; }

    public bool Optional { get; }

    public override ConfigValueType Type => throw new InvalidOperationException("an unresolved substitution has no type yet");

    internal override bool IsResolvedKind => false;

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigSubstitution(Path, Optional, origin, WrittenPath);

    public override string ToString() => Optional ? $"${{?{WrittenPath}}}" : $"${{{WrittenPath}}}";
}

/// <summary>A value concatenation that contains at least one substitution.</summary>
internal sealed class ConfigConcatenation : ConfigValue
{
    public ConfigConcatenation(List<ConfigValue> parts, ConfigOrigin origin) : base(origin) => Parts = parts;

    /// <summary>The parts in order, including whitespace strings between simple values.</summary>
    public List<ConfigValue> Parts { get; }

    public override ConfigValueType Type => throw new InvalidOperationException("an unresolved concatenation has no type yet");

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigConcatenation(Parts, origin);

    internal override bool IsResolvedKind => false;
}

/// <summary>
/// Definitions of one path that cannot be merged before resolution because at least one of them
/// is a substitution or concatenation; highest priority first. Resolution merges from the bottom up,
/// which is what gives self-referential substitutions their "value before this definition".
/// </summary>
internal sealed class ConfigMergeStack : ConfigValue
{
    private ConfigMergeStack(List<ConfigValue> items) : base(items[0].Origin) => Items = items;

    public List<ConfigValue> Items { get; }

    public override ConfigValueType Type => throw new InvalidOperationException("an unresolved merge has no type yet");

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => this;

    internal override bool IsResolvedKind => false;

    /// <summary>Builds a stack, dropping what lies below a definition that hides everything beneath it.</summary>
    public static ConfigValue Create(List<ConfigValue> items)
    {
        var kept = new List<ConfigValue>(items.Count);
        foreach (var item in items)
        {
            if (item is ConfigMergeStack nested)
            {
                foreach (var inner in nested.Items)
                {
                    kept.Add(inner);
                    if (HidesFallbacks(inner))
                        return Finish(kept);
                }
                continue;
            }
            kept.Add(item);
            if (HidesFallbacks(item))
                break;
        }
        return Finish(kept);
    }

    private static ConfigValue Finish(List<ConfigValue> kept) => kept.Count == 1 ? kept[0] : new ConfigMergeStack(kept);

    /// <summary>Scalars, nulls and arrays never merge with what lies below them.</summary>
    internal static bool HidesFallbacks(ConfigValue value) => value is not (ConfigObject or ConfigSubstitution or ConfigConcatenation or ConfigMergeStack);
}

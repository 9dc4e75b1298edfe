using ActorTasks.Hocon.Rendering;

namespace ActorTasks.Hocon;

/// <summary>The JSON type of a resolved configuration value.</summary>
public enum ConfigValueType
{
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>A node of a configuration tree, with the place it was defined.</summary>
public abstract class ConfigValue
{
    private protected ConfigValue(ConfigOrigin origin) => Origin = origin;

    /// <summary>Where this value was defined.</summary>
    public ConfigOrigin Origin { get; }

    /// <summary>The JSON type of this value.</summary>
    public abstract ConfigValueType Type { get; }

    /// <summary>False for substitutions, concatenations and merges that wait for resolution.</summary>
    internal virtual bool IsResolvedKind => true;

    /// <summary>How the value reads in a value concatenation or as a string (numbers keep their spelling).</summary>
    internal virtual string? TextForConcatenation => null;

    /// <summary>The same value, reported as defined elsewhere.</summary>
    internal abstract ConfigValue WithOrigin(ConfigOrigin origin);

    /// <summary>Renders this value as HOCON.</summary>
    public string Render(ConfigRenderOptions? options = null) => HoconRenderer.Render(this, options ?? ConfigRenderOptions.Concise);

    /// <summary>Renders this value as JSON.</summary>
    public string RenderJson(bool indented = true) => JsonRenderer.Render(this, indented);

    public override string ToString() => Render();
}

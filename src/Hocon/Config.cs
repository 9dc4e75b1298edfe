using ActorTasks.Hocon.Rendering;
using ActorTasks.Hocon.Resolution;

namespace ActorTasks.Hocon;

/// <summary>
/// An immutable configuration tree with typed getters. Substitutions are resolved the first time a
/// value is read (or by <see cref="Resolve()"/>); layering with <see cref="WithFallback"/> works on
/// the unresolved trees, so a substitution may name a value from any layer.
/// </summary>
public sealed partial class Config
{
    private readonly ConfigObject _root;
    private ConfigObject? _resolved;

    internal Config(ConfigObject root, bool isResolved = false)
    {
        _root = root;
        if (isResolved || !NeedsResolution(root))
            _resolved = root;
    }

    /// <summary>True when the tree holds a substitution, or something merged with one, anywhere.</summary>
    private static bool NeedsResolution(ConfigValue value)
    {
        switch (value)
        {
            case ConfigObject o:
                if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
                    return true;
                foreach (var child in o.FieldValues)
                {
                    if (NeedsResolution(child))
                        return true;
                }
                return false;
            case ConfigArray a:
                if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
                    return true;
                foreach (var item in a.Items)
                {
                    if (NeedsResolution(item))
                        return true;
                }
                return false;
            default:
                return !value.IsResolvedKind;
        }
    }

    /// <summary>The resolved root object.</summary>
    public ConfigObject Root => EnsureResolved();

    /// <summary>True once substitutions have been resolved.</summary>
    public bool IsResolved => Volatile.Read(ref _resolved) is not null;

    /// <summary>True when the configuration has no settings at all.</summary>
    public bool IsEmpty => _root.Count == 0;

    /// <summary>Resolves substitutions now (falling back to the process environment); throws <see cref="ConfigException"/> on failure.</summary>
    public Config Resolve()
    {
        EnsureResolved();
        return new Config(_resolved!, isResolved: true);
    }

    /// <summary>Resolves substitutions with the given options.</summary>
    public Config Resolve(ConfigResolveOptions options) => new(Resolver.Resolve(_root, options), isResolved: true);

    /// <summary>
    /// This configuration with <paramref name="fallback"/> beneath it: objects merge key by key, and
    /// for anything else this configuration's value wins.
    /// </summary>
    public Config WithFallback(Config fallback)
    {
        if (fallback.IsEmpty)
            return this;
        if (IsEmpty)
            return fallback;
        var merged = ValueMerger.MergeObjects(_root, fallback._root, inPlace: false);
        return new Config(merged, IsResolved && fallback.IsResolved);
    }

    /// <summary>This configuration placed at <paramref name="path"/> (e.g. <c>a.b</c>) of a new root.</summary>
    public Config AtPath(string path) => new(Wrap(ConfigPath.Parse(path).Segments, Root), isResolved: true);

    /// <summary>This configuration placed under a single key (no path parsing: dots stay in the key).</summary>
    public Config AtKey(string key) => new(Wrap([key], Root), isResolved: true);

    internal static ConfigObject Wrap(string[] segments, ConfigValue value)
    {
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            var o = new ConfigObject(value.Origin, 1);
            o.Set(segments[i], value);
            value = o;
        }
        return (ConfigObject)value;
    }

    /// <summary>Renders the resolved configuration as HOCON.</summary>
    public string ToHocon(ConfigRenderOptions? options = null) =>
        HoconRenderer.RenderRoot(Root, options ?? ConfigRenderOptions.Default);

    /// <summary>Renders the resolved configuration as JSON.</summary>
    public string ToJson(bool indented = true) => JsonRenderer.Render(Root, indented);

    public override string ToString() => ToHocon();

    private ConfigObject EnsureResolved()
    {
        var resolved = Volatile.Read(ref _resolved);
        if (resolved is not null)
            return resolved;
        // Resolution is deterministic, so two threads racing here compute the same tree.
        resolved = Resolver.Resolve(_root, ConfigResolveOptions.Default);
        Interlocked.CompareExchange(ref _resolved, resolved, null);
        return _resolved!;
    }
}

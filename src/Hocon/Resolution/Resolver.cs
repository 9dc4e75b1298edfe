using System.Runtime.CompilerServices;

namespace ActorTasks.Hocon.Resolution;

/// <summary>
/// Replaces substitutions with the values they name, after all parsing and merging.
/// <para>
/// Each field is resolved once, on demand, and remembered by path; a path met again while it is
/// being resolved is a cycle. Look-ups walk through plain objects without resolving them whole, so an
/// object may refer to its own fields (<c>bar { foo = 42, baz = ${bar.foo} }</c>).
/// </para>
/// <para>
/// A field's definitions form a merge stack resolved from the oldest up; while one definition is
/// resolved, substitutions of the field's own path (or paths below it) see the value the older
/// definitions produced — the "look backwards" rule that makes <c>path = ${path} [x]</c> and
/// <c>+=</c> work.
/// </para>
/// </summary>
internal sealed class Resolver
{
    private const int MaxDepth = 2000;

    private readonly ConfigObject _root;
    private readonly Func<string, string?>? _environment;
    private readonly Dictionary<string, ConfigValue?> _resolved = new(StringComparer.Ordinal);
    private readonly List<(ConfigPath Path, ConfigValue Value)> _active = [];
    private readonly HashSet<string> _activeKeys = new(StringComparer.Ordinal);
    private int _depth;

    private Resolver(ConfigObject root, ConfigResolveOptions options)
    {
        _root = root;
        if (options.UseEnvironment)
            _environment = options.Environment ?? System.Environment.GetEnvironmentVariable;
    }

    public static ConfigObject Resolve(ConfigObject root, ConfigResolveOptions options)
    {
        var resolver = new Resolver(root, options);
        return (ConfigObject)(resolver.ResolveField(ConfigPath.Root, root) ?? ConfigObject.Empty(root.Origin));
    }

    /// <summary>The self-reference rule in force while one definition of <see cref="Path"/> is resolved.</summary>
    private sealed record SelfContext(ConfigPath Path, ConfigValue? Prior);

    /// <summary>Resolves the value stored at a path of the tree (a field or an array element), once.</summary>
    private ConfigValue? ResolveField(ConfigPath path, ConfigValue value)
    {
        if (value is ConfigString or ConfigNumber or ConfigBoolean or ConfigNull)
            return value;
        var key = path.Key;
        if (_resolved.TryGetValue(key, out var done))
            return done;
        if (!_activeKeys.Add(key))
            throw Cycle(path);
        _active.Add((path, value));
        Enter(value);
        try
        {
            var result = value switch
            {
                ConfigObject o => ResolveObject(o, path, null),
                ConfigArray a => ResolveArray(a, path, null),
                ConfigMergeStack s => ResolveStack(s, path),
                _ => ResolveValue(value, path, new SelfContext(path, null)),
            };
            _resolved[key] = result;
            return result;
        }
        finally
        {
            _depth--;
            _activeKeys.Remove(key);
            _active.RemoveAt(_active.Count - 1);
        }
    }

    private void Enter(ConfigValue at)
    {
        if (++_depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            _depth--;
            throw new ConfigException("expected substitutions and nesting of a bounded depth but found a chain too deep to resolve", at.Origin);
        }
    }

    /// <summary>Resolves a value that is part of one definition of <paramref name="path"/>.</summary>
    private ConfigValue? ResolveValue(ConfigValue value, ConfigPath path, SelfContext? self)
    {
        switch (value)
        {
            case ConfigString or ConfigNumber or ConfigBoolean or ConfigNull:
                return value;
            case ConfigSubstitution s:
                // A simple value or list taken whole from elsewhere is reported as defined where the substitution is.
                var found = Lookup(s, self);
                return found is null or ConfigObject ? found : found.WithOrigin(s.Origin);
            case ConfigConcatenation c:
                var parts = new List<ConfigValue?>(c.Parts.Count);
                var fromSubstitution = new List<bool>(c.Parts.Count);
                foreach (var part in c.Parts)
                {
                    parts.Add(ResolveValue(part, path, self));
                    fromSubstitution.Add(part is ConfigSubstitution);
                }
                return Concatenation.Combine(parts, fromSubstitution, c.Origin, inPlace: false);
            case ConfigObject o:
                return ResolveObject(o, path, self);
            case ConfigArray a:
                return ResolveArray(a, path, self);
            case ConfigMergeStack stack:
                return ResolveStack(stack, path);
            default:
                throw new InvalidOperationException($"unexpected value kind {value.GetType().Name}");
        }
    }

    /// <summary>
    /// Resolves an object's fields. Inside the tree (<paramref name="self"/> null) each field is
    /// resolved and remembered by its own path; inside one definition of a field the fields belong to
    /// that definition and share its self-reference rule.
    /// </summary>
    private ConfigObject ResolveObject(ConfigObject obj, ConfigPath path, SelfContext? self)
    {
        ConfigObject? copy = null;
        var keys = obj.KeyList;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            var child = obj[key];
            var childPath = path.Append(key);
            var resolved = self is null ? ResolveField(childPath, child) : ResolveValue(child, childPath, self);
            if (copy is null && ReferenceEquals(resolved, child))
                continue;
            if (copy is null)
            {
                copy = new ConfigObject(obj.Origin, keys.Count);
                for (var j = 0; j < i; j++)
                    copy.Set(keys[j], obj[keys[j]]);
            }
            if (resolved is not null)
                copy.Set(key, resolved);
        }
        return copy ?? obj;
    }

    private ConfigArray ResolveArray(ConfigArray array, ConfigPath path, SelfContext? self)
    {
        List<ConfigValue>? copy = null;
        var items = array.Items;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var itemPath = path.AppendIndex(i);
            var resolved = self is null ? ResolveField(itemPath, item) : ResolveValue(item, itemPath, self);
            if (copy is null && ReferenceEquals(resolved, item))
                continue;
            copy ??= items.Take(i).ToList();
            if (resolved is not null)
                copy.Add(resolved);
        }
        return copy is null ? array : new ConfigArray(array.Origin, copy);
    }

    /// <summary>Resolves definitions from the oldest up; each sees the result of those below it as its own path.</summary>
    private ConfigValue? ResolveStack(ConfigMergeStack stack, ConfigPath path)
    {
        ConfigValue? accumulated = null;
        for (var i = stack.Items.Count - 1; i >= 0; i--)
        {
            var resolved = ResolveValue(stack.Items[i], path, new SelfContext(path, accumulated));
            if (resolved is null)
                continue;
            accumulated = accumulated is null ? resolved : ValueMerger.Merge(resolved, accumulated, inPlace: false);
        }
        return accumulated;
    }

    private ConfigValue? Lookup(ConfigSubstitution s, SelfContext? self)
    {
        ConfigValue? found;
        if (self is not null && s.Path.StartsWith(self.Path))
        {
            found = Navigate(self.Prior, s.Path, self.Path.Length);
        }
        else
        {
            found = LookupInTree(s.Path);
            if (found is null && !ReferenceEquals(s.WrittenPath, s.Path))
                found = self is not null && s.WrittenPath.StartsWith(self.Path)
                    ? Navigate(self.Prior, s.WrittenPath, self.Path.Length)
                    : LookupInTree(s.WrittenPath);
        }
        if (found is not null)
            return found;

        var name = s.WrittenPath.Render();
        if (_environment is not null && s.WrittenPath.Segments.All(seg => !ConfigPath.IsIndex(seg, out _)))
        {
            var variable = _environment(string.Join('.', s.WrittenPath.Segments));
            if (!string.IsNullOrEmpty(variable))
                return new ConfigString(variable, new ConfigOrigin($"environment variable {string.Join('.', s.WrittenPath.Segments)}"));
        }
        if (s.Optional)
            return null;
        var where = _activeKeys.Contains(s.Path.Key) ? "before this definition" : "in the configuration";
        throw new ConfigException(
            $"expected a value for the substitution ${{{name}}} but found none: '{name}' is not set {where} nor as an environment variable",
            s.Origin, name);
    }

    /// <summary>Follows the remaining path elements through an already resolved value.</summary>
    private static ConfigValue? Navigate(ConfigValue? value, ConfigPath path, int from)
    {
        for (var i = from; i < path.Length && value is not null; i++)
        {
            var segment = path.Segments[i];
            value = value switch
            {
                ConfigObject o => o.Get(segment),
                ConfigArray a when ConfigPath.IsIndex(segment, out var index) && index < a.Count => a[index],
                _ => null,
            };
        }
        return value;
    }

    /// <summary>Finds a path from the root, resolving only what lies on the way.</summary>
    private ConfigValue? LookupInTree(ConfigPath path)
    {
        ConfigValue? current = _root;
        var currentPath = ConfigPath.Root;
        for (var i = 0; i < path.Length; i++)
        {
            var segment = path.Segments[i];
            current = Child(current!, currentPath, segment);
            if (current is null)
                return null;
            currentPath = currentPath.Append(segment);
        }
        return ResolveField(currentPath, current!);
    }

    private ConfigValue? Child(ConfigValue value, ConfigPath path, string segment)
    {
        switch (value)
        {
            case ConfigObject o:
                return o.Get(segment);
            case ConfigArray a:
                return ConfigPath.IsIndex(segment, out var index) && index < a.Count ? a[index] : null;
            case ConfigMergeStack stack when stack.Items[0] is ConfigObject top && top.Get(segment) is { } child
                                             && ConfigMergeStack.HidesFallbacks(child):
                // The newest definition sets this field to something that hides all older ones.
                return child;
            case ConfigMergeStack or ConfigSubstitution or ConfigConcatenation:
                var resolved = ResolveField(path, value);
                return resolved is null ? null : Child(resolved, path, segment);
            default:
                return null;
        }
    }

    private ConfigException Cycle(ConfigPath path)
    {
        var start = _active.FindIndex(a => a.Path.Key == path.Key);
        var chain = _active.Skip(Math.Max(0, start)).Select(a => a.Path.Render()).Append(path.Render());
        var origin = start >= 0 ? _active[start].Value.Origin : null;
        return new ConfigException(
            $"expected substitutions without a cycle but found one: {string.Join(" -> ", chain)}", origin, path.Render());
    }
}

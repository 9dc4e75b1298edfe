using System.Runtime.CompilerServices;

namespace ActorTasks.Hocon.Resolution;

/// <summary>
/// The one merge rule of HOCON, used for duplicate keys, includes, object concatenation and WithFallback:
/// two objects merge field by field; anything else that is not an object hides what lies below it;
/// a value that is not known until resolution keeps both sides in a merge stack.
/// </summary>
internal static class ValueMerger
{
    /// <summary>
    /// Merges <paramref name="top"/> over <paramref name="bottom"/>. With <paramref name="inPlace"/> the parser's
    /// freshly built objects in <paramref name="bottom"/> are reused; otherwise neither side changes.
    /// </summary>
    public static ConfigValue Merge(ConfigValue top, ConfigValue bottom, bool inPlace)
    {
        switch (top)
        {
            case ConfigObject topObject:
                switch (bottom)
                {
                    case ConfigObject bottomObject:
                        return MergeObjects(topObject, bottomObject, inPlace);
                    case ConfigMergeStack stack when stack.Items[0] is ConfigObject first:
                        var items = new List<ConfigValue>(stack.Items.Count) { MergeObjects(topObject, first, inPlace) };
                        items.AddRange(stack.Items.Skip(1));
                        return ConfigMergeStack.Create(items);
                    case ConfigSubstitution or ConfigConcatenation or ConfigMergeStack:
                        return ConfigMergeStack.Create([topObject, bottom]);
                    default:
                        return topObject;
                }
            case ConfigSubstitution or ConfigConcatenation or ConfigMergeStack:
                return ConfigMergeStack.Create([top, bottom]);
            default:
                return top;
        }
    }

    public static ConfigObject MergeObjects(ConfigObject top, ConfigObject bottom, bool inPlace)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new ConfigException("expected a shallower configuration but found objects nested too deeply to merge", top.Origin);
        if (top.Count == 0 && !inPlace)
            return bottom;
        if (bottom.Count == 0 && !inPlace)
            return top;
        var target = inPlace ? bottom : Copy(bottom, top.Origin);
        foreach (var key in top.KeyList)
        {
            var value = top[key];
            var existing = target.Get(key);
            target.Set(key, existing is null ? value : Merge(value, existing, inPlace));
        }
        return target;
    }

    private static ConfigObject Copy(ConfigObject source, ConfigOrigin origin)
    {
        var copy = new ConfigObject(origin, source.Count);
        foreach (var key in source.KeyList)
            copy.Set(key, source[key]);
        return copy;
    }
}

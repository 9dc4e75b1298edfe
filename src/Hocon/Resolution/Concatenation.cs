using System.Text;

namespace ActorTasks.Hocon.Resolution;

/// <summary>Joins the parts of a value concatenation once every part is known.</summary>
internal static class Concatenation
{
    /// <summary>
    /// Strings (and other simple values) join with the whitespace between them; arrays append; objects
    /// merge, later over earlier. Null parts are undefined optional substitutions and vanish; a part
    /// marked in <paramref name="fromSubstitution"/> that is null becomes the empty string. Returns null
    /// when nothing but undefined parts remain.
    /// </summary>
    public static ConfigValue? Combine(IReadOnlyList<ConfigValue?> parts, List<bool>? fromSubstitution, ConfigOrigin origin, bool inPlace)
    {
        ConfigValue? only = null;
        var count = 0;
        var objects = 0;
        var arrays = 0;
        foreach (var part in parts)
        {
            if (part is null || part is ConfigString { IsWhitespace: true })
                continue;
            count++;
            only = part;
            if (part is ConfigObject)
                objects++;
            else if (part is ConfigArray)
                arrays++;
        }
        if (count == 0)
            return null;
        if (count == 1)
            return only;

        if (objects == count)
        {
            ConfigObject? merged = null;
            foreach (var part in parts)
            {
                if (part is ConfigObject o)
                    merged = merged is null ? o : ValueMerger.MergeObjects(o, merged, inPlace);
            }
            return merged;
        }
        if (arrays == count)
        {
            var items = new List<ConfigValue>();
            ConfigOrigin? first = null;
            foreach (var part in parts)
            {
                if (part is ConfigArray a)
                {
                    first ??= a.Origin;
                    items.AddRange(a.Items);
                }
            }
            return new ConfigArray(first ?? origin, items);
        }
        if (objects == 0 && arrays == 0)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < parts.Count; i++)
            {
                var part = parts[i];
                if (part is null)
                    continue;
                if (part is ConfigNull && fromSubstitution is not null && fromSubstitution[i])
                    continue;
                sb.Append(part.TextForConcatenation);
            }
            return new ConfigString(sb.ToString(), origin);
        }

        var firstKind = parts.First(p => p is not null && p is not ConfigString { IsWhitespace: true })!;
        var clash = parts.First(p => p is not null && p is not ConfigString { IsWhitespace: true } && Kind(p) != Kind(firstKind))!;
        throw new ConfigException($"expected parts of one kind in a value concatenation but found {Kind(firstKind)} followed by {Kind(clash)} (quote strings, or put arrays and objects on their own)", clash.Origin);
    }

    private static string Kind(ConfigValue v) => v switch
    {
        ConfigObject => "an object",
        ConfigArray => "an array",
        _ => "a simple value",
    };
}

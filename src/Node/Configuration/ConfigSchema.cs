using System.Globalization;
using ActorTasks.Tasks.Configuration;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorTasks.Node.Configuration;

/// <summary>
/// Checks a node's configuration against hocon/actortasks.conf before anything starts: every setting the reference
/// defines must keep the type of its default (a number, a duration, a size, on/off), so a wrong type stops the
/// command naming the layer and the key, whichever part of the node would read it later; and settings under
/// <c>actortasks.</c> that the reference does not know (a typo) are reported as warnings.
/// </summary>
public static class ConfigSchema
{
    private enum Kind
    {
        Text,
        Bool,
        Integer,
        Duration,
        Size,
    }

    // Subtrees whose keys are the user's own names.
    private static readonly string[] OpenSubtrees = ["actortasks.tasks.resources"];

    /// <summary>Throws <see cref="ConfigException"/> for a value of the wrong type; returns warnings for unknown <c>actortasks.*</c> keys.</summary>
    public static IReadOnlyList<string> Check(NodeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var reference = TaskSystemConfig.Reference;
        foreach (var (key, value) in Leaves(reference.Root, ""))
        {
            var kind = KindOf(reference, key, value);
            if (kind == Kind.Text || !config.Config.HasPath(key)) continue;
            var actual = config.Config.GetValue(key);
            if (actual.IsString() && Fits(config.Config, key, kind)) continue;
            var shown = actual.IsString() ? $"\"{actual.GetString()}\"" : actual.IsArray() ? "a list" : "an object";
            throw config.Invalid(new SettingsException(key, $"expected {Describe(kind)}, got {shown}"));
        }
        var warnings = new List<string>();
        var known = Leaves(reference.Root, "").Select(l => l.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var layer in config.Layers.Skip(1))
        {
            if (layer.Config.Root is not { } root) continue;
            foreach (var (key, _) in Leaves(root, ""))
            {
                if (!key.StartsWith("actortasks.", StringComparison.Ordinal) || known.Contains(key) || known.Any(k => IsUnder(k, key))) continue;
                if (OpenSubtrees.Any(s => IsUnder(key, s))) continue;
                warnings.Add($"{layer.Source}: {key} is not an ActorTasks setting and is ignored (see hocon/actortasks.conf for the settings)");
            }
        }
        return warnings;
    }

    private static bool IsUnder(string key, string subtree) => key.StartsWith(subtree + ".", StringComparison.Ordinal);

    /// <summary>Every leaf of the tree (a value that is not an object), by its dotted path.</summary>
    private static IEnumerable<(string Key, HoconValue Value)> Leaves(HoconValue value, string path)
    {
        if (!value.IsObject())
        {
            if (path.Length > 0) yield return (path, value);
            yield break;
        }
        foreach (var (name, child) in value.GetObject().Items)
        {
            var key = name.Contains('.') ? $"\"{name}\"" : name;
            foreach (var leaf in Leaves(child, path.Length == 0 ? key : $"{path}.{key}")) yield return leaf;
        }
    }

    private static Kind KindOf(Config reference, string key, HoconValue value)
    {
        if (!value.IsString()) return Kind.Text;
        var text = value.GetString() ?? "";
        if (text is "on" or "off" or "true" or "false" or "yes" or "no") return Kind.Bool;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) return Kind.Integer;
        if (text.Length > 0 && char.IsAsciiDigit(text[0]))
        {
            if (Fits(reference, key, Kind.Size) && text.Any(c => c is 'b' or 'B')) return Kind.Size;
            if (Fits(reference, key, Kind.Duration)) return Kind.Duration;
        }
        return Kind.Text;
    }

    private static bool Fits(Config config, string key, Kind kind)
    {
        var text = config.GetString(key)?.Trim() ?? "";
        try
        {
            return kind switch
            {
                // Akka reads its own switches as on/off/true/false only ("Unknown boolean format: yes" at start).
                Kind.Bool => text is "on" or "off" or "true" or "false" || (!key.StartsWith("akka.", StringComparison.Ordinal) && text is "yes" or "no"),
                Kind.Integer => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                // "infinite" is Akka's own spelling (e.g. its default akka.actor.ask-timeout), read as a negative span.
                // Akka takes "off" for durations that can be switched off (e.g. shutdown-after-unsuccessful-join-seed-nodes).
                Kind.Duration => text is "infinite" || (text is "off" && key.StartsWith("akka.", StringComparison.Ordinal)) || (text.Length > 0 && char.IsAsciiDigit(text[0]) && config.GetTimeSpan(key, null, allowInfinite: true) >= TimeSpan.Zero),
                Kind.Size => text.Length > 0 && char.IsAsciiDigit(text[0]) && config.GetByteSize(key) is >= 0,
                _ => true,
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
    }

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Bool => "on or off",
        Kind.Integer => "a whole number",
        Kind.Duration => "a duration such as 500ms or 10s",
        Kind.Size => "a size such as 4 MiB or 128000b",
        _ => "text",
    };
}

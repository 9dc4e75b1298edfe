using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Akka.Configuration.Hocon;

namespace ActorTasks.Node.Configuration;

/// <summary>
/// Renders a node's resolved configuration as HOCON, each value under a comment naming the layer that set it, or as
/// JSON (on/off and numbers as JSON values) for scripts.
/// </summary>
public static partial class ConfigPrinter
{
    /// <summary>The subtree at <paramref name="path"/> (the whole tree when empty) as HOCON with a comment per value.</summary>
    public static string Hocon(NodeConfig config, string path = "")
    {
        var text = new StringBuilder();
        var value = path.Length == 0 ? config.Config.Root : config.Config.GetValue(path);
        if (value.IsObject())
        {
            if (path.Length > 0) text.Append(path).Append(" {\n");
            WriteObject(text, config, value.GetObject(), path, path.Length > 0 ? 1 : 0);
            if (path.Length > 0) text.Append("}\n");
        }
        else
        {
            text.Append("# ").Append(config.SourceOf(path)).Append('\n').Append(path).Append(" = ").Append(Render(value)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The subtree at <paramref name="path"/> (the whole tree when empty) as indented JSON.</summary>
    public static string Json(NodeConfig config, string path = "")
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            WriteJson(writer, path.Length == 0 ? config.Config.Root : config.Config.GetValue(path));
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteObject(StringBuilder text, NodeConfig config, HoconObject obj, string path, int depth)
    {
        var indent = new string(' ', depth * 2);
        foreach (var (name, value) in obj.Items.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            var key = Key(name);
            var full = path.Length == 0 ? key : $"{path}.{key}";
            if (value.IsObject())
            {
                text.Append(indent).Append(key).Append(" {\n");
                WriteObject(text, config, value.GetObject(), full, depth + 1);
                text.Append(indent).Append("}\n");
            }
            else
            {
                text.Append(indent).Append("# ").Append(config.SourceOf(full)).Append('\n');
                text.Append(indent).Append(key).Append(" = ").Append(Render(value)).Append('\n');
            }
        }
    }

    private static string Render(HoconValue value)
    {
        if (value.IsArray()) return "[" + string.Join(", ", value.GetArray().Select(Render)) + "]";
        if (value.IsObject())
            return "{ " + string.Join(", ", value.GetObject().Items.Select(i => $"{Key(i.Key)} = {Render(i.Value)}")) + " }";
        var s = value.GetString();
        return s is null ? "null" : Plain().IsMatch(s) ? s : Quote(s);
    }

    private static void WriteJson(Utf8JsonWriter writer, HoconValue value)
    {
        if (value.IsObject())
        {
            writer.WriteStartObject();
            foreach (var (name, child) in value.GetObject().Items.OrderBy(i => i.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(name);
                WriteJson(writer, child);
            }
            writer.WriteEndObject();
        }
        else if (value.IsArray())
        {
            writer.WriteStartArray();
            foreach (var item in value.GetArray()) WriteJson(writer, item);
            writer.WriteEndArray();
        }
        else
        {
            var s = value.GetString();
            if (s is null) writer.WriteNullValue();
            else if (s is "on" or "true" or "yes") writer.WriteBooleanValue(true);
            else if (s is "off" or "false" or "no") writer.WriteBooleanValue(false);
            else if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) writer.WriteNumberValue(n);
            else writer.WriteStringValue(s);
        }
    }

    private static string Key(string name) => PlainKey().IsMatch(name) ? name : Quote(name);

    private static string Quote(string s) => JsonSerializer.Serialize(s);

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+( ?[A-Za-z]+)?$")]
    private static partial Regex Plain();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+$")]
    private static partial Regex PlainKey();
}

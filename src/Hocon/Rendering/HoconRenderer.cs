using System.Runtime.CompilerServices;
using System.Text;

namespace ActorTasks.Hocon.Rendering;

/// <summary>Writes resolved values as HOCON that parses back to the same tree.</summary>
internal static class HoconRenderer
{
    private const int InlineArrayWidth = 80;

    /// <summary>A root object without its braces, the way configuration files are written.</summary>
    public static string RenderRoot(ConfigObject root, ConfigRenderOptions options)
    {
        var sb = new StringBuilder();
        WriteFields(sb, root, options, 0);
        return sb.ToString();
    }

    public static string Render(ConfigValue value, ConfigRenderOptions options)
    {
        var sb = new StringBuilder();
        WriteValue(sb, value, options, 0);
        return sb.ToString();
    }

    private static void WriteFields(StringBuilder sb, ConfigObject obj, ConfigRenderOptions options, int level)
    {
        foreach (var (key, value) in obj)
        {
            if (options.OriginComments && value is not ConfigObject)
                Indent(sb, options, level).Append("# ").Append(value.Origin).Append('\n');
            Indent(sb, options, level).Append(ConfigPath.RenderKey(key)).Append(value is ConfigObject ? " " : " = ");
            WriteValue(sb, value, options, level);
            sb.Append('\n');
        }
    }

    private static void WriteValue(StringBuilder sb, ConfigValue value, ConfigRenderOptions options, int level)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new ConfigException("expected a shallower value but found one nested too deeply to render", value.Origin);
        switch (value)
        {
            case ConfigObject o:
                if (o.Count == 0)
                {
                    sb.Append("{}");
                    return;
                }
                sb.Append("{\n");
                WriteFields(sb, o, options, level + 1);
                Indent(sb, options, level).Append('}');
                return;
            case ConfigArray a:
                WriteArray(sb, a, options, level);
                return;
            case ConfigString s:
                sb.Append(IsSafeUnquoted(s.Value) ? s.Value : JsonRenderer.Quote(s.Value));
                return;
            case ConfigNumber n:
                sb.Append(n.Text);
                return;
            case ConfigBoolean b:
                sb.Append(b.Value ? "true" : "false");
                return;
            case ConfigNull:
                sb.Append("null");
                return;
            case ConfigSubstitution sub:
                sb.Append(sub);
                return;
            case ConfigConcatenation c:
                foreach (var part in c.Parts)
                    WriteValue(sb, part, options, level);
                return;
            case ConfigMergeStack m:
                WriteValue(sb, m.Items[0], options, level);
                return;
        }
    }

    private static void WriteArray(StringBuilder sb, ConfigArray a, ConfigRenderOptions options, int level)
    {
        if (a.Count == 0)
        {
            sb.Append("[]");
            return;
        }
        if (a.All(v => v is ConfigString or ConfigNumber or ConfigBoolean or ConfigNull))
        {
            var inline = "[" + string.Join(", ", a.Select(v => Render(v, options))) + "]";
            if (inline.Length <= InlineArrayWidth && !inline.Contains('\n'))
            {
                sb.Append(inline);
                return;
            }
        }
        sb.Append("[\n");
        for (var i = 0; i < a.Count; i++)
        {
            Indent(sb, options, level + 1);
            WriteValue(sb, a[i], options, level + 1);
            sb.Append(i < a.Count - 1 ? ",\n" : "\n");
        }
        Indent(sb, options, level).Append(']');
    }

    /// <summary>
    /// True when the text, written without quotes, parses back to the same string: plain characters only,
    /// and not a lone number, boolean or null (which would change the type).
    /// </summary>
    internal static bool IsSafeUnquoted(string s)
    {
        if (s.Length == 0 || s[0] == '-' || s.Contains("//", StringComparison.Ordinal) || s is "true" or "false" or "null")
            return false;
        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
                return false;
        }
        return !LooksLikeNumber(s);
    }

    private static bool LooksLikeNumber(string s)
    {
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
            i++;
        if (i == 0)
            return false;
        if (i < s.Length && s[i] == '.')
        {
            var start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
                i++;
            if (i == start)
                return false;
        }
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            var start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
                i++;
            if (i == start)
                return false;
        }
        return i == s.Length;
    }

    private static StringBuilder Indent(StringBuilder sb, ConfigRenderOptions options, int level) =>
        sb.Append(' ', level * options.Indent);
}

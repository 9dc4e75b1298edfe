using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace ActorTasks.Hocon.Rendering;

/// <summary>Writes resolved values as JSON.</summary>
internal static class JsonRenderer
{
    public static string Render(ConfigValue value, bool indented)
    {
        var sb = new StringBuilder();
        Write(sb, value, indented, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, ConfigValue value, bool indented, int level)
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
                sb.Append('{');
                var first = true;
                foreach (var (key, child) in o)
                {
                    if (!first)
                        sb.Append(',');
                    first = false;
                    NewLine(sb, indented, level + 1);
                    sb.Append(Quote(key)).Append(indented ? ": " : ":");
                    Write(sb, child, indented, level + 1);
                }
                NewLine(sb, indented, level);
                sb.Append('}');
                return;
            case ConfigArray a:
                if (a.Count == 0)
                {
                    sb.Append("[]");
                    return;
                }
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                        sb.Append(',');
                    NewLine(sb, indented, level + 1);
                    Write(sb, a[i], indented, level + 1);
                }
                NewLine(sb, indented, level);
                sb.Append(']');
                return;
            case ConfigString s:
                sb.Append(Quote(s.Value));
                return;
            case ConfigNumber n:
                sb.Append(JsonNumber(n));
                return;
            case ConfigBoolean b:
                sb.Append(b.Value ? "true" : "false");
                return;
            case ConfigNull:
                sb.Append("null");
                return;
            default:
                sb.Append(Quote(value.ToString() ?? ""));
                return;
        }
    }

    private static void NewLine(StringBuilder sb, bool indented, int level)
    {
        if (!indented)
            return;
        sb.Append('\n').Append(' ', level * 2);
    }

    /// <summary>The number as written when that is valid JSON (no leading zeros), else a canonical form.</summary>
    internal static string JsonNumber(ConfigNumber n)
    {
        var t = n.Text;
        var digits = t.StartsWith('-') ? t.AsSpan(1) : t.AsSpan();
        if (digits.Length > 1 && digits[0] == '0' && char.IsAsciiDigit(digits[1]))
            return n.LongValue is { } l ? l.ToString(CultureInfo.InvariantCulture) : n.DoubleValue.ToString("R", CultureInfo.InvariantCulture);
        return t;
    }

    /// <summary>A JSON string literal.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < ' ' || c is '\u2028' or '\u2029')
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
        return sb.ToString();
    }
}

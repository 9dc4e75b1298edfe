using System.Text;
using ActorTasks.Hocon.Parsing;

namespace ActorTasks.Hocon;

/// <summary>
/// A path through the tree: keys, plus (internally) array positions for values that live inside arrays,
/// which user paths can never name.
/// </summary>
internal sealed class ConfigPath : IEquatable<ConfigPath>
{
    private const char IndexMark = '\u0001';
    private string? _key;

    public static readonly ConfigPath Root = new([]);

    public ConfigPath(string[] segments) => Segments = segments;

    public string[] Segments { get; }

    public int Length => Segments.Length;

    /// <summary>A string that identifies the path in dictionaries.</summary>
    public string Key => _key ??= Segments.Length == 0 ? "" : "\0" + string.Join('\0', Segments);

    public ConfigPath Append(string segment)
    {
        var s = new string[Segments.Length + 1];
        Segments.CopyTo(s, 0);
        s[^1] = segment;
        return new ConfigPath(s);
    }

    public ConfigPath Append(ConfigPath other)
    {
        if (other.Length == 0)
            return this;
        if (Length == 0)
            return other;
        return new ConfigPath([.. Segments, .. other.Segments]);
    }

    public ConfigPath AppendIndex(int index) => Append(IndexMark + index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static bool IsIndex(string segment, out int index)
    {
        index = -1;
        return segment.Length > 1 && segment[0] == IndexMark && int.TryParse(segment.AsSpan(1), out index);
    }

    public bool StartsWith(ConfigPath prefix)
    {
        if (prefix.Length > Length)
            return false;
        for (var i = 0; i < prefix.Length; i++)
        {
            if (!string.Equals(Segments[i], prefix.Segments[i], StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    /// <summary>Parses a path expression such as <c>a.b."c.d"</c>.</summary>
    public static ConfigPath Parse(string expression, ConfigOrigin? origin = null)
    {
        origin ??= new ConfigOrigin("path expression '" + expression + "'");
        var tokens = Tokenizer.Tokenize(expression, origin, out var comments);
        if (comments > 0)
            throw new ConfigException($"expected a path but found a comment in '{expression}'", origin, expression);
        var end = tokens.Count - 1;
        var start = 0;
        while (start < end && tokens[start].Kind == TokenKind.Whitespace)
            start++;
        while (end > start && tokens[end - 1].Kind == TokenKind.Whitespace)
            end--;
        for (var i = start; i < end; i++)
        {
            var t = tokens[i];
            if (!t.IsSimpleValue && t.Kind != TokenKind.Whitespace)
                throw new ConfigException($"expected a path but found {t.Describe()} in '{expression}'", origin.At(t.Line, t.Column), expression);
        }
        return FromTokens(tokens, start, end, origin);
    }

    /// <summary>Builds a path from key tokens: '.' splits unquoted text and numbers, never quoted strings.</summary>
    public static ConfigPath FromTokens(List<Token> tokens, int start, int end, ConfigOrigin origin)
    {
        if (start >= end)
        {
            var at = tokens[Math.Min(start, tokens.Count - 1)];
            throw new ConfigException($"expected a path but found {at.Describe()}", origin.At(at.Line, at.Column));
        }
        if (end - start == 1 && (tokens[start].Kind == TokenKind.QuotedString ? tokens[start].Text.Length > 0 : tokens[start].Text.IndexOf('.') < 0))
            return new ConfigPath([tokens[start].Text]);
        var segments = new List<string>(4);
        var current = new StringBuilder();
        var hasContent = false;
        for (var i = start; i < end; i++)
        {
            var t = tokens[i];
            if (t.Kind is TokenKind.QuotedString or TokenKind.Whitespace)
            {
                current.Append(t.Text);
                hasContent |= t.Kind == TokenKind.QuotedString;
                continue;
            }
            var text = t.Text;
            var from = 0;
            while (true)
            {
                var dot = text.IndexOf('.', from);
                if (dot < 0)
                {
                    current.Append(text, from, text.Length - from);
                    hasContent |= text.Length > from;
                    break;
                }
                current.Append(text, from, dot - from);
                hasContent |= dot > from;
                if (!hasContent && current.Length == 0)
                    throw EmptyElement(tokens, start, end, t, origin);
                segments.Add(current.ToString());
                current.Clear();
                hasContent = false;
                from = dot + 1;
            }
        }
        if (!hasContent && current.Length == 0)
            throw EmptyElement(tokens, start, end, tokens[end - 1], origin);
        segments.Add(current.ToString());
        return new ConfigPath(segments.ToArray());
    }

    private static ConfigException EmptyElement(List<Token> tokens, int start, int end, Token at, ConfigOrigin origin)
    {
        var text = string.Concat(tokens.Skip(start).Take(end - start).Select(t => t.Kind == TokenKind.QuotedString ? "\"" + t.Text + "\"" : t.Text));
        return new ConfigException(
            $"expected a path element but found an empty one in '{text}' (a path may not start or end with '.' or contain '..'; quote an empty key as \"\")",
            origin.At(at.Line, at.Column));
    }

    /// <summary>The path as a HOCON path expression, quoting elements that need it.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < Segments.Length; i++)
        {
            if (IsIndex(Segments[i], out var index))
            {
                sb.Append('[').Append(index).Append(']');
                continue;
            }
            if (i > 0)
                sb.Append('.');
            sb.Append(RenderKey(Segments[i]));
        }
        return sb.ToString();
    }

    /// <summary>A key as written in HOCON: bare when it is a plain word, quoted otherwise.</summary>
    public static string RenderKey(string key)
    {
        if (key.Length > 0 && key != "include" && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return key;
        return Rendering.JsonRenderer.Quote(key);
    }

    public override string ToString() => Render();

    public bool Equals(ConfigPath? other) => other is not null && Key == other.Key;

    public override bool Equals(object? obj) => Equals(obj as ConfigPath);

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
}

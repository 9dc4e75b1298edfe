using ActorTasks.Hocon.Resolution;

namespace ActorTasks.Hocon.Parsing;

internal sealed partial class Parser
{
    /// <summary>
    /// Reads a value concatenation: simple values, substitutions, objects and arrays on one line.
    /// Whitespace between parts is kept; whitespace before the first and after the last is not.
    /// </summary>
    private ConfigValue ParseValue(ConfigPath path)
    {
        var first = Peek;
        ConfigValue? single = null;
        List<ConfigValue>? parts = null;
        var hasSubstitution = false;
        Token? pendingWhitespace = null;
        while (true)
        {
            var t = Peek;
            ConfigValue part;
            switch (t.Kind)
            {
                case TokenKind.Whitespace:
                    pendingWhitespace = t;
                    _pos++;
                    continue;
                case TokenKind.QuotedString:
                case TokenKind.Unquoted:
                    _pos++;
                    part = new ConfigString(t.Text, At(t));
                    break;
                case TokenKind.Number:
                    _pos++;
                    part = new ConfigNumber(t.Text, At(t));
                    break;
                case TokenKind.True:
                case TokenKind.False:
                    _pos++;
                    part = new ConfigBoolean(t.Kind == TokenKind.True, At(t));
                    break;
                case TokenKind.Null:
                    _pos++;
                    part = new ConfigNull(At(t));
                    break;
                case TokenKind.SubstitutionStart:
                    part = ParseSubstitution();
                    hasSubstitution = true;
                    break;
                case TokenKind.OpenBrace:
                    part = ParseObject(path);
                    break;
                case TokenKind.OpenBracket:
                    part = ParseArray(path);
                    break;
                default:
                    if (single is null)
                        throw Error(t, $"expected a value but found {t.Describe()}");
                    if (parts is null)
                        return single;
                    return hasSubstitution
                        ? new ConfigConcatenation(parts, At(first))
                        : Concatenation.Combine(parts, null, At(first), inPlace: true)!;
            }

            if (single is null)
            {
                single = part;
            }
            else
            {
                parts ??= [single];
                if (pendingWhitespace is { } ws)
                    parts.Add(new ConfigString(ws.Text, At(ws), isWhitespace: true));
                parts.Add(part);
            }
            pendingWhitespace = null;
        }
    }

    private ConfigArray ParseArray(ConfigPath path)
    {
        var open = Next();
        Enter(open);
        var items = new List<ConfigValue>();
        while (true)
        {
            SkipBlank();
            var t = Peek;
            if (t.Kind == TokenKind.CloseBracket)
            {
                _pos++;
                break;
            }
            if (t.Kind == TokenKind.EndOfFile)
                throw Error(t, $"expected ']' to close the array opened at line {open.Line}, column {open.Column} but found end of file");
            if (t.Kind == TokenKind.Comma)
                throw Error(t, "expected a value or ']' but found ','");
            items.Add(ParseValue(path.AppendIndex(items.Count)));

            t = SkipSeparator();
            switch (t.Kind)
            {
                case TokenKind.Comma:
                case TokenKind.Newline:
                    break;
                case TokenKind.CloseBracket:
                    break;
                default:
                    throw Error(t, $"expected ',' or ']' after an array element but found {t.Describe()}");
            }
        }
        _depth--;
        return new ConfigArray(At(open), items);
    }

    private ConfigSubstitution ParseSubstitution()
    {
        var open = Next();
        var start = _pos;
        while (Peek.IsSimpleValue || Peek.Kind == TokenKind.Whitespace)
            _pos++;
        var end = _pos;
        if (Peek.Kind != TokenKind.CloseBrace)
            throw Error(Peek, $"expected '}}' to close the substitution but found {Peek.Describe()}");
        _pos++;
        while (start < end && _tokens[start].Kind == TokenKind.Whitespace)
            start++;
        while (end > start && _tokens[end - 1].Kind == TokenKind.Whitespace)
            end--;
        if (start == end)
            throw Error(open, "expected a path inside '${ }' but found none");
        var written = ConfigPath.FromTokens(_tokens, start, end, _origin);
        return new ConfigSubstitution(_prefix.Append(written), open.Optional, At(open), written);
    }

    /// <summary>
    /// <c>include "name"</c>, <c>include file("name")</c>, <c>include classpath("name")</c>,
    /// <c>include url("name")</c>, each optionally wrapped in <c>required(...)</c>.
    /// </summary>
    private void ParseInclude(ConfigObject obj, ConfigPath path)
    {
        var keyword = Next();
        SkipBlank();
        var t = Next();
        var kind = IncludeKind.Default;
        var required = false;
        string name;
        if (t.Kind == TokenKind.QuotedString)
        {
            name = t.Text;
        }
        else if (t.Kind == TokenKind.Unquoted)
        {
            var text = t.Text;
            var closers = 0;
            while (true)
            {
                if (!required && text.StartsWith("required(", StringComparison.Ordinal))
                {
                    required = true;
                    text = text["required(".Length..];
                }
                else if (kind == IncludeKind.Default && TryKind(ref text, out var k))
                {
                    kind = k;
                }
                else
                {
                    break;
                }
                closers++;
                if (text.Length == 0)
                {
                    SkipInlineWhitespace();
                    if (Peek.Kind != TokenKind.Unquoted)
                        break;
                    t = Next();
                    text = t.Text;
                }
            }
            if (closers == 0 || text.Length > 0)
                throw Error(t, $"expected a quoted file name, file(\"...\"), classpath(\"...\"), url(\"...\") or required(...) after 'include' but found {t.Describe()}");
            SkipInlineWhitespace();
            var nameToken = Next();
            if (nameToken.Kind != TokenKind.QuotedString)
                throw Error(nameToken, $"expected a quoted file name in the include but found {nameToken.Describe()}");
            name = nameToken.Text;
            while (closers > 0)
            {
                SkipInlineWhitespace();
                var close = Next();
                if (close.Kind != TokenKind.Unquoted || close.Text.Any(c => c != ')') || close.Text.Length > closers)
                    throw Error(close, $"expected ')' to close the include but found {close.Describe()}");
                closers -= close.Text.Length;
            }
        }
        else
        {
            throw Error(t, $"expected a quoted file name after 'include' but found {t.Describe()}");
        }

        var included = _includes.Include(name, kind, required, path, At(keyword));
        foreach (var (key, value) in included)
        {
            var existing = obj.Get(key);
            obj.Set(key, existing is null ? value : ValueMerger.Merge(value, existing, inPlace: true));
        }
    }

    private static bool TryKind(ref string text, out IncludeKind kind)
    {
        foreach (var (prefix, k) in IncludeKinds)
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                text = text[prefix.Length..];
                kind = k;
                return true;
            }
        }
        kind = IncludeKind.Default;
        return false;
    }

    private static readonly (string, IncludeKind)[] IncludeKinds =
        [("file(", IncludeKind.File), ("classpath(", IncludeKind.Classpath), ("url(", IncludeKind.Url)];
}

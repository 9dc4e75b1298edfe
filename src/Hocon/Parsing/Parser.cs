using System.Runtime.CompilerServices;

namespace ActorTasks.Hocon.Parsing;

/// <summary>
/// Turns tokens into an unresolved tree: objects are merged as fields are read, substitutions and
/// concatenations that contain them are kept for the resolver.
/// </summary>
internal sealed partial class Parser
{
    /// <summary>Objects and arrays nested deeper than this are rejected instead of risking the stack.</summary>
    public const int MaxDepth = 1000;

    private readonly List<Token> _tokens;
    private readonly ConfigOrigin _origin;
    private readonly IncludeContext _includes;
    private readonly ConfigPath _prefix;
    private int _pos;
    private int _depth;

    private Parser(List<Token> tokens, ConfigOrigin origin, IncludeContext includes, ConfigPath prefix)
    {
        _tokens = tokens;
        _origin = origin;
        _includes = includes;
        _prefix = prefix;
    }

    /// <summary>Parses a whole document; its root must be an object (braces may be omitted).</summary>
    public static ConfigObject ParseDocument(string text, ConfigOrigin origin, IncludeContext includes, ConfigPath prefix)
    {
        var parser = new Parser(Tokenizer.Tokenize(text, origin), origin, includes, prefix);
        return parser.Document();
    }

    /// <summary>Parses text that must be exactly one value (no comments, nothing after it).</summary>
    public static ConfigValue ParseSingleValue(string text, ConfigOrigin origin, ConfigPath path)
    {
        var tokens = Tokenizer.Tokenize(text, origin, out var comments);
        if (comments > 0)
            throw new ConfigException("expected a single value but found a comment", origin);
        var parser = new Parser(tokens, origin, IncludeContext.NoIncludes, ConfigPath.Root);
        parser.SkipInlineWhitespace();
        var value = parser.ParseValue(path);
        parser.SkipInlineWhitespace();
        if (parser.Peek.Kind != TokenKind.EndOfFile)
            throw parser.Error(parser.Peek, $"expected the end of the value but found {parser.Peek.Describe()}");
        return value;
    }

    private Token Peek => _tokens[_pos];

    private Token Next() => _tokens[_pos++];

    private ConfigOrigin At(Token t) => _origin.At(t.Line, t.Column);

    private ConfigException Error(Token t, string message) => new(message, At(t));

    private void SkipInlineWhitespace()
    {
        while (_tokens[_pos].Kind == TokenKind.Whitespace)
            _pos++;
    }

    private void SkipBlank()
    {
        while (_tokens[_pos].Kind is TokenKind.Whitespace or TokenKind.Newline)
            _pos++;
    }

    private void Enter(Token at)
    {
        if (++_depth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Error(at, $"expected at most {MaxDepth} levels of nested objects and arrays but found more");
    }

    private ConfigObject Document()
    {
        SkipBlank();
        var first = Peek;
        ConfigObject root;
        if (first.Kind == TokenKind.OpenBracket)
            throw Error(first, "expected an object at the root but found an array");
        if (first.Kind == TokenKind.OpenBrace)
        {
            root = ParseObject(_prefix);
            SkipBlank();
            if (Peek.Kind != TokenKind.EndOfFile)
                throw Error(Peek, $"expected end of file after the root object but found {Peek.Describe()}");
        }
        else
        {
            root = ParseObjectBody(_prefix, braced: false, first);
        }
        return root;
    }

    private ConfigObject ParseObject(ConfigPath path)
    {
        var open = Next();
        Enter(open);
        var obj = ParseObjectBody(path, braced: true, open);
        _depth--;
        return obj;
    }

    private ConfigObject ParseObjectBody(ConfigPath path, bool braced, Token open)
    {
        var obj = new ConfigObject(At(open));
        while (true)
        {
            SkipBlank();
            var t = Peek;
            switch (t.Kind)
            {
                case TokenKind.CloseBrace:
                    if (!braced)
                        throw Error(t, "expected a key or end of file but found '}' without a matching '{'");
                    _pos++;
                    return obj;
                case TokenKind.EndOfFile:
                    if (braced)
                        throw Error(t, $"expected '}}' to close the object opened at line {open.Line}, column {open.Column} but found end of file");
                    return obj;
                case TokenKind.Comma:
                    throw Error(t, "expected a key but found ',' (a comma may only follow a field)");
            }

            ConfigPath? fieldKey = null;
            if (t.Kind == TokenKind.Unquoted && t.Text == "include")
                ParseInclude(obj, path);
            else
                fieldKey = ParseField(obj, path);

            t = SkipSeparator();
            switch (t.Kind)
            {
                case TokenKind.Comma:
                case TokenKind.Newline:
                    break;
                case TokenKind.CloseBrace:
                case TokenKind.EndOfFile:
                    break;
                default:
                    throw Error(t, $"expected ',' or a newline after '{fieldKey?.Render() ?? "include"}' but found {t.Describe()}");
            }
        }
    }

    /// <summary>
    /// Consumes what separates two fields or elements: a comma, newlines, or newlines then a comma. Returns the
    /// token that stood there first (a comma or newline, or whatever follows when there is no separator).
    /// </summary>
    private Token SkipSeparator()
    {
        SkipInlineWhitespace();
        var t = Peek;
        if (t.Kind == TokenKind.Comma)
        {
            _pos++;
            ExpectNoSecondComma();
        }
        else if (t.Kind == TokenKind.Newline)
        {
            SkipBlank();
            if (Peek.Kind == TokenKind.Comma)
            {
                _pos++;
                ExpectNoSecondComma();
            }
        }
        return t;
    }

    private void ExpectNoSecondComma()
    {
        SkipBlank();
        if (Peek.Kind == TokenKind.Comma)
            throw Error(Peek, "expected a key, a value or a closing bracket but found a second ','");
    }

    /// <summary>Reads <c>key = value</c>, <c>key : value</c>, <c>key += value</c> or <c>key { ... }</c> and merges it in.</summary>
    private ConfigPath ParseField(ConfigObject obj, ConfigPath path)
    {
        var start = _pos;
        while (Peek.IsSimpleValue || Peek.Kind == TokenKind.Whitespace)
            _pos++;
        var end = _pos;
        while (end > start && _tokens[end - 1].Kind == TokenKind.Whitespace)
            end--;
        if (end == start)
            throw Error(Peek, $"expected a key but found {Peek.Describe()}");
        var keyPath = ConfigPath.FromTokens(_tokens, start, end, _origin);
        var fullPath = path.Append(keyPath);
        if (fullPath.Length > MaxDepth)
            throw Error(_tokens[start], $"expected at most {MaxDepth} levels of nested objects but found a key nested {fullPath.Length} deep");

        SkipBlank();
        var sep = Peek;
        ConfigValue value;
        switch (sep.Kind)
        {
            case TokenKind.Colon:
            case TokenKind.Equals:
                _pos++;
                SkipBlank();
                value = ParseValue(fullPath);
                break;
            case TokenKind.PlusEquals:
                _pos++;
                SkipBlank();
                var appended = ParseValue(fullPath.AppendIndex(int.MaxValue));
                // a += b means a = ${?a} [b]: the substitution is self-referential, so it sees the earlier a.
                var self = new ConfigSubstitution(fullPath, optional: true, At(sep));
                value = new ConfigConcatenation([self, new ConfigArray(At(sep), [appended])], At(sep));
                break;
            case TokenKind.OpenBrace:
                value = ParseValue(fullPath);
                break;
            default:
                throw Error(sep, $"expected ':', '=', '+=' or '{{' after the key '{keyPath}' but found {sep.Describe()}");
        }
        Insert(obj, keyPath.Segments, value);
        return keyPath;
    }

    /// <summary>Sets a (possibly dotted) key, merging with what the object already holds.</summary>
    private static void Insert(ConfigObject obj, string[] segments, ConfigValue value)
    {
        // Walk down through objects that already exist; below the first one that does not, wrap the value.
        var index = 0;
        while (index < segments.Length - 1 && obj.Get(segments[index]) is ConfigObject child)
        {
            obj = child;
            index++;
        }
        for (var i = segments.Length - 1; i > index; i--)
        {
            var wrapper = new ConfigObject(value.Origin, 1);
            wrapper.Set(segments[i], value);
            value = wrapper;
        }
        var key = segments[index];
        var existing = obj.Get(key);
        obj.Set(key, existing is null ? value : Resolution.ValueMerger.Merge(value, existing, inPlace: true));
    }
}

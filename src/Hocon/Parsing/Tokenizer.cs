using System.Globalization;
using System.Text;

namespace ActorTasks.Hocon.Parsing;

/// <summary>
/// Splits HOCON text into tokens. Comments are dropped (they always end at a newline token), and so is
/// whitespace that can never matter: indentation, whitespace before a newline or comment, blank lines.
/// </summary>
internal sealed class Tokenizer
{
    private const string Forbidden = "$\"{}[]:=,+#`^?!@*&\\";
    private const string Reserved = "`^?!@*&\\";

    private readonly string _text;
    private readonly ConfigOrigin _origin;
    private readonly List<Token> _tokens;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private Tokenizer(string text, ConfigOrigin origin)
    {
        _text = text;
        _origin = origin;
        _tokens = new List<Token>(Math.Min(4096, Math.Max(16, text.Length / 16)));
    }

    /// <summary>How many comments were seen; a single value given on a command line must have none.</summary>
    public int CommentCount { get; private set; }

    public static List<Token> Tokenize(string text, ConfigOrigin origin) => Tokenize(text, origin, out _);

    public static List<Token> Tokenize(string text, ConfigOrigin origin, out int commentCount)
    {
        var t = new Tokenizer(text, origin);
        t.Run();
        commentCount = t.CommentCount;
        return t._tokens;
    }

    private int Column => _pos - _lineStart + 1;

    private void Run()
    {
        var text = _text;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            var line = _line;
            var col = Column;
            switch (c)
            {
                case '\n':
                    _pos++;
                    _line++;
                    _lineStart = _pos;
                    // Whitespace before a newline is never significant, and blank lines are one separator.
                    DropTrailingWhitespace();
                    if (_tokens.Count == 0 || _tokens[^1].Kind != TokenKind.Newline)
                        Add(TokenKind.Newline, "\n", line, col);
                    break;
                case '#':
                    SkipComment();
                    break;
                case '/' when Peek(1) == '/':
                    SkipComment();
                    break;
                case ',': _pos++; Add(TokenKind.Comma, ",", line, col); break;
                case ':': _pos++; Add(TokenKind.Colon, ":", line, col); break;
                case '=': _pos++; Add(TokenKind.Equals, "=", line, col); break;
                case '{': _pos++; Add(TokenKind.OpenBrace, "{", line, col); break;
                case '}': _pos++; Add(TokenKind.CloseBrace, "}", line, col); break;
                case '[': _pos++; Add(TokenKind.OpenBracket, "[", line, col); break;
                case ']': _pos++; Add(TokenKind.CloseBracket, "]", line, col); break;
                case '+':
                    if (Peek(1) != '=')
                        throw Error(line, col, "expected '+=' but found '+' alone (quote a value that contains '+')");
                    _pos += 2;
                    Add(TokenKind.PlusEquals, "+=", line, col);
                    break;
                case '$':
                    if (Peek(1) != '{')
                        throw Error(line, col, "expected '${' but found '$' alone (quote a value that contains '$')");
                    var optional = Peek(2) == '?';
                    _pos += optional ? 3 : 2;
                    _tokens.Add(new Token(TokenKind.SubstitutionStart, optional ? "${?" : "${", line, col, optional));
                    break;
                case '"':
                    if (Peek(1) == '"' && Peek(2) == '"')
                        ReadTripleQuoted(line, col);
                    else
                        ReadQuoted(line, col);
                    break;
                default:
                    if (IsWhitespace(c))
                        ReadWhitespace(line, col);
                    else if (Reserved.Contains(c))
                        throw Error(line, col, $"expected a value or key but found reserved character '{c}' (quote it to use it)");
                    else if (c == '-' || (c >= '0' && c <= '9'))
                        ReadNumberOrUnquoted(line, col);
                    else
                        ReadUnquoted(line, col);
                    break;
            }
        }
        DropTrailingWhitespace();
        _tokens.Add(new Token(TokenKind.EndOfFile, "", _line, Column));
    }

    private char Peek(int ahead) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private void Add(TokenKind kind, string text, int line, int col) => _tokens.Add(new Token(kind, text, line, col));

    internal static bool IsWhitespace(char c) =>
        c is ' ' or '\t' or '\r' or '\v' or '\f' or '\uFEFF' or (>= '\u001C' and <= '\u001F')
        || (c > 127 && (char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.SpaceSeparator
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator));

    private void DropTrailingWhitespace()
    {
        if (_tokens.Count > 0 && _tokens[^1].Kind == TokenKind.Whitespace)
            _tokens.RemoveAt(_tokens.Count - 1);
    }

    private void SkipComment()
    {
        CommentCount++;
        DropTrailingWhitespace();
        var end = _text.IndexOf('\n', _pos);
        _pos = end < 0 ? _text.Length : end;
    }

    private void ReadWhitespace(int line, int col)
    {
        var start = _pos;
        if (_tokens.Count == 0 || _tokens[^1].Kind == TokenKind.Newline)
        {
            // Indentation is never significant: nothing continues across a newline.
            while (_pos < _text.Length && _text[_pos] != '\n' && IsWhitespace(_text[_pos]))
                _pos++;
            return;
        }
        var allSpaces = true;
        while (_pos < _text.Length && _text[_pos] != '\n' && IsWhitespace(_text[_pos]))
            allSpaces &= _text[_pos++] == ' ';
        var length = _pos - start;
        // Runs of plain spaces (indentation, alignment before comments) share cached strings.
        var text = allSpaces && length < Spaces.Length ? Spaces[length] : _text.Substring(start, length);
        Add(TokenKind.Whitespace, text, line, col);
    }

    /// <summary>ASCII characters that end an unquoted string: forbidden characters and ASCII whitespace.</summary>
    private static readonly bool[] EndsUnquoted = BuildEndsUnquoted();

    private static bool[] BuildEndsUnquoted()
    {
        var table = new bool[128];
        foreach (var c in Forbidden)
            table[c] = true;
        for (var c = 0; c < 128; c++)
            table[c] |= c == '\n' || IsWhitespace((char)c);
        return table;
    }

    private bool IsUnquotedChar(int i)
    {
        var c = _text[i];
        if (c < 128 ? EndsUnquoted[c] : IsWhitespace(c))
            return false;
        return !(c == '/' && i + 1 < _text.Length && _text[i + 1] == '/');
    }

    private void ReadUnquoted(int line, int col)
    {
        var start = _pos;
        // true, false and null are recognized only at the start of an unquoted run ("truefoo" is true + "foo").
        foreach (var (word, kind) in _text[_pos] is 't' or 'f' or 'n' ? Keywords : [])
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0)
            {
                _pos += word.Length;
                Add(kind, word, line, col);
                return;
            }
        }
        while (_pos < _text.Length && IsUnquotedChar(_pos))
            _pos++;
        Add(TokenKind.Unquoted, _text.Substring(start, _pos - start), line, col);
    }

    private static readonly string[] Spaces = Enumerable.Range(0, 129).Select(n => new string(' ', n)).ToArray();

    private static readonly (string, TokenKind)[] Keywords =
        [("true", TokenKind.True), ("false", TokenKind.False), ("null", TokenKind.Null)];

    /// <summary>A JSON number (-?digits(.digits)?([eE][+-]?digits)?); what follows it starts a new token.</summary>
    private void ReadNumberOrUnquoted(int line, int col)
    {
        var start = _pos;
        var i = _pos;
        if (_text[i] == '-')
            i++;
        var digitsStart = i;
        while (i < _text.Length && char.IsAsciiDigit(_text[i]))
            i++;
        if (i == digitsStart)
        {
            // A '-' not followed by a digit: read it as unquoted text.
            while (_pos < _text.Length && IsUnquotedChar(_pos))
                _pos++;
            Add(TokenKind.Unquoted, _text.Substring(start, _pos - start), line, col);
            return;
        }
        if (i + 1 < _text.Length && _text[i] == '.' && char.IsAsciiDigit(_text[i + 1]))
        {
            i += 2;
            while (i < _text.Length && char.IsAsciiDigit(_text[i]))
                i++;
        }
        if (i < _text.Length && (_text[i] == 'e' || _text[i] == 'E'))
        {
            var j = i + 1;
            if (j < _text.Length && (_text[j] == '+' || _text[j] == '-'))
                j++;
            if (j < _text.Length && char.IsAsciiDigit(_text[j]))
            {
                while (j < _text.Length && char.IsAsciiDigit(_text[j]))
                    j++;
                i = j;
            }
        }
        _pos = i;
        Add(TokenKind.Number, _text.Substring(start, i - start), line, col);
    }

    private void ReadQuoted(int line, int col)
    {
        _pos++;
        StringBuilder? sb = null;
        var runStart = _pos;
        while (true)
        {
            if (_pos >= _text.Length)
                throw Error(line, col, "expected a closing '\"' but found end of file");
            var c = _text[_pos];
            if (c == '"')
            {
                var tail = _text.Substring(runStart, _pos - runStart);
                _pos++;
                _tokens.Add(new Token(TokenKind.QuotedString, sb is null ? tail : sb.Append(tail).ToString(), line, col));
                return;
            }
            if (c == '\n')
                throw Error(_line, Column, "expected a closing '\"' but found end of line (use \\n or a \"\"\" string)");
            if (c < ' ')
                throw Error(_line, Column, $"expected a character but found control character U+{(int)c:X4} in a quoted string (escape it)");
            if (c != '\\')
            {
                _pos++;
                continue;
            }
            sb ??= new StringBuilder();
            sb.Append(_text, runStart, _pos - runStart);
            var escLine = _line;
            var escCol = Column;
            _pos++;
            if (_pos >= _text.Length)
                throw Error(escLine, escCol, "expected an escape character after '\\' but found end of file");
            var e = _text[_pos++];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length || !ushort.TryParse(_text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        throw Error(escLine, escCol, "expected four hex digits after '\\u'");
                    sb.Append((char)code);
                    _pos += 4;
                    break;
                default:
                    throw Error(escLine, escCol, $"expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX but found '\\{e}'");
            }
            runStart = _pos;
        }
    }

    /// <summary>"""...""": no escapes, newlines allowed; quotes beyond the closing three belong to the string.</summary>
    private void ReadTripleQuoted(int line, int col)
    {
        _pos += 3;
        var start = _pos;
        var end = _text.IndexOf("\"\"\"", _pos, StringComparison.Ordinal);
        if (end < 0)
            throw Error(line, col, "expected a closing \"\"\" but found end of file");
        var close = end + 3;
        while (close < _text.Length && _text[close] == '"')
            close++;
        var valueEnd = close - 3;
        for (var i = start; i < close; i++)
        {
            if (_text[i] == '\n')
            {
                _line++;
                _lineStart = i + 1;
            }
        }
        _pos = close;
        _tokens.Add(new Token(TokenKind.QuotedString, _text.Substring(start, valueEnd - start), line, col, true));
    }

    private ConfigException Error(int line, int col, string message) => new(message, _origin.At(line, col));
}

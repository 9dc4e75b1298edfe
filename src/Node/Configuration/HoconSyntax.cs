namespace ActorTasks.Node.Configuration;

/// <summary>
/// Checks the structure of HOCON text before Akka's parser reads it. Akka's parser accepts an unclosed brace, a key
/// with no value or a stray bracket without a word and builds a tree from the rest, so a broken file would run with
/// settings the user never wrote; this check refuses such text with the line and column of the problem.
/// </summary>
/// <remarks>
/// It checks structure only (strings, comments, braces, brackets, keys and separators), not values. It is stricter
/// than the HOCON specification in one place: a value must start on the line of its <c>=</c> or <c>:</c>, since
/// Akka's parser would read the next line's key as the value.
/// </remarks>
public static class HoconSyntax
{
    /// <summary>Throws <see cref="ConfigException"/> naming <paramref name="source"/>, the line and the column of the first problem.</summary>
    public static void Check(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        new Checker(new Lexer(text, source), source).Run();
    }

    private enum Kind
    {
        LBrace,
        RBrace,
        LBracket,
        RBracket,
        Separator,
        Comma,
        Newline,
        Word,
        Eof,
    }

    private readonly record struct Token(Kind Kind, string Text, int Line, int Column)
    {
        public string Describe() => Kind switch
        {
            Kind.Newline => "the end of the line",
            Kind.Eof => "the end of the file",
            _ => $"'{Text}'",
        };
    }

    private enum State
    {
        ExpectKey,
        InKey,
        ExpectValue,
        InValue,
    }

    private sealed class Frame(char open, int line, int column, bool braced)
    {
        public char Open { get; } = open;

        public int Line { get; } = line;

        public int Column { get; } = column;

        /// <summary>False for the root object of a file that does not start with a brace.</summary>
        public bool Braced { get; } = braced;

        public State State { get; set; } = State.ExpectKey;

        public string Key { get; set; } = "";

        public bool IsArray => Open == '[';
    }

    private sealed class Checker(Lexer lexer, string source)
    {
        private readonly Stack<Frame> _frames = new();

        public void Run()
        {
            var first = lexer.NextSignificant();
            _frames.Push(first.Kind == Kind.LBrace ? new Frame('{', first.Line, first.Column, braced: true) : new Frame('{', 1, 1, braced: false));
            var token = first.Kind == Kind.LBrace ? lexer.Next() : first;
            while (true)
            {
                if (!Step(token)) return;
                token = lexer.Next();
            }
        }

        // Returns false once the text has ended well.
        private bool Step(Token token)
        {
            var frame = _frames.Peek();
            if (token.Kind == Kind.Eof)
            {
                if (frame.State is State.InKey) throw Error(token, $"the key '{frame.Key}' has no value (expected '=', ':' or '{{')");
                if (frame.State is State.ExpectValue) throw Error(token, $"the key '{frame.Key}' has no value after its separator");
                if (frame.Braced || frame.IsArray) throw Error(token, $"the '{frame.Open}' opened at line {frame.Line}, column {frame.Column} is never closed");
                return false;
            }
            if (frame.IsArray) InArray(frame, token);
            else InObject(frame, token);
            return true;
        }

        private void InObject(Frame frame, Token token)
        {
            switch (frame.State)
            {
                case State.ExpectKey:
                    switch (token.Kind)
                    {
                        case Kind.Newline or Kind.Comma:
                            return;
                        case Kind.RBrace:
                            Close(frame, token);
                            return;
                        case Kind.Word when token.Text == "include":
                            var file = lexer.Next();
                            if (file.Kind != Kind.Word || !file.Text.StartsWith('"'))
                                throw Error(file, $"include needs a quoted file name, found {file.Describe()}");
                            return;
                        case Kind.Word:
                            frame.Key = Unquote(token.Text);
                            frame.State = State.InKey;
                            return;
                        default:
                            throw Error(token, $"expected a key, found {token.Describe()}");
                    }
                case State.InKey:
                    switch (token.Kind)
                    {
                        case Kind.Word:
                            frame.Key += Unquote(token.Text);
                            return;
                        case Kind.Separator:
                            frame.State = State.ExpectValue;
                            return;
                        case Kind.LBrace:
                            Open(token);
                            return;
                        default:
                            throw Error(token, $"the key '{frame.Key}' has no value (expected '=', ':' or '{{', found {token.Describe()})");
                    }
                case State.ExpectValue:
                    switch (token.Kind)
                    {
                        case Kind.Word:
                            frame.State = State.InValue;
                            return;
                        case Kind.LBrace or Kind.LBracket:
                            Open(token);
                            return;
                        default:
                            throw Error(token, $"the key '{frame.Key}' has no value after its separator (found {token.Describe()}; a value starts on the line of its key)");
                    }
                default: // InValue
                    switch (token.Kind)
                    {
                        case Kind.Word:
                            return;
                        case Kind.LBrace or Kind.LBracket:
                            Open(token);
                            return;
                        case Kind.Newline or Kind.Comma:
                            frame.State = State.ExpectKey;
                            return;
                        case Kind.RBrace:
                            Close(frame, token);
                            return;
                        default:
                            throw Error(token, $"unexpected {token.Describe()} in the value of '{frame.Key}' (quote a value that contains it)");
                    }
            }
        }

        private void InArray(Frame frame, Token token)
        {
            switch (token.Kind)
            {
                case Kind.Newline or Kind.Comma:
                    frame.State = State.ExpectKey;
                    return;
                case Kind.Word:
                    frame.State = State.InValue;
                    return;
                case Kind.LBrace or Kind.LBracket:
                    Open(token);
                    return;
                case Kind.RBracket:
                    Close(frame, token);
                    return;
                default:
                    throw Error(token, $"unexpected {token.Describe()} in the list opened at line {frame.Line}, column {frame.Column}");
            }
        }

        private void Open(Token token) => _frames.Push(new Frame(token.Text[0], token.Line, token.Column, braced: true));

        private void Close(Frame frame, Token token)
        {
            var expected = frame.Open == '{' ? '}' : ']';
            if (!frame.Braced || token.Text[0] != expected)
            {
                throw Error(token, frame.Braced
                    ? $"'{token.Text}' does not close the '{frame.Open}' opened at line {frame.Line}, column {frame.Column}"
                    : $"'{token.Text}' closes nothing");
            }
            _frames.Pop();
            if (_frames.Count == 0)
            {
                // The file's own braces: nothing but comments may follow.
                var rest = lexer.NextSignificant();
                if (rest.Kind != Kind.Eof) throw Error(rest, $"unexpected {rest.Describe()} after the closing brace of the file");
                _frames.Push(new Frame('{', 1, 1, braced: false));
                return;
            }
            _frames.Peek().State = State.InValue;
        }

        private ConfigException Error(Token token, string problem) => new($"{source}: line {token.Line}, column {token.Column}: {problem}");

        private static string Unquote(string word) => word.Length >= 2 && word[0] == '"' ? word[1..^1] : word;
    }

    private sealed class Lexer(string text, string source)
    {
        private int _position;
        private int _line = 1;
        private int _lineStart;

        public Token NextSignificant()
        {
            Token token;
            do token = Next();
            while (token.Kind is Kind.Newline or Kind.Comma);
            return token;
        }

        public Token Next()
        {
            while (true)
            {
                SkipBlanks();
                if (_position >= text.Length) return Make(Kind.Eof, "", _position);
                var c = text[_position];
                if (c == '#' || (c == '/' && Peek(1) == '/'))
                {
                    while (_position < text.Length && text[_position] != '\n') _position++;
                    continue;
                }
                var start = _position;
                switch (c)
                {
                    case '\n':
                        var newline = Make(Kind.Newline, "\n", start);
                        _position++;
                        _line++;
                        _lineStart = _position;
                        return newline;
                    case '{':
                        _position++;
                        return Make(Kind.LBrace, "{", start);
                    case '}':
                        _position++;
                        return Make(Kind.RBrace, "}", start);
                    case '[':
                        _position++;
                        return Make(Kind.LBracket, "[", start);
                    case ']':
                        _position++;
                        return Make(Kind.RBracket, "]", start);
                    case ',':
                        _position++;
                        return Make(Kind.Comma, ",", start);
                    case '=' or ':':
                        _position++;
                        return Make(Kind.Separator, c.ToString(), start);
                    case '+' when Peek(1) == '=':
                        _position += 2;
                        return Make(Kind.Separator, "+=", start);
                    case '"':
                        return Quoted(start);
                    case '$' when Peek(1) == '{':
                        return Substitution(start);
                    default:
                        return Unquoted(start);
                }
            }
        }

        private Token Quoted(int start)
        {
            if (Peek(1) == '"' && Peek(2) == '"')
            {
                var (line, column) = (_line, start - _lineStart + 1);
                var end = text.IndexOf("\"\"\"", start + 3, StringComparison.Ordinal);
                if (end < 0) throw new ConfigException($"{source}: line {line}, column {column}: the \"\"\" string is never closed");
                end += 3;
                while (end < text.Length && text[end] == '"') end++;
                for (var i = start; i < end; i++)
                {
                    if (text[i] != '\n') continue;
                    _line++;
                    _lineStart = i + 1;
                }
                _position = end;
                return new Token(Kind.Word, text[start..end], line, column);
            }
            var i2 = start + 1;
            while (i2 < text.Length && text[i2] != '"' && text[i2] != '\n')
                i2 += text[i2] == '\\' ? 2 : 1;
            if (i2 >= text.Length || text[i2] != '"')
                throw new ConfigException($"{source}: line {_line}, column {start - _lineStart + 1}: the quoted string is not closed on its line");
            _position = i2 + 1;
            return Make(Kind.Word, text[start.._position], start);
        }

        private Token Substitution(int start)
        {
            var end = text.IndexOf('}', start + 2);
            var newline = text.IndexOf('\n', start + 2);
            if (end < 0 || (newline >= 0 && newline < end))
                throw new ConfigException($"{source}: line {_line}, column {start - _lineStart + 1}: the substitution '${{' is not closed on its line");
            _position = end + 1;
            return Make(Kind.Word, text[start.._position], start);
        }

        private Token Unquoted(int start)
        {
            while (_position < text.Length)
            {
                var c = text[_position];
                if (c is '{' or '}' or '[' or ']' or ',' or '=' or ':' or '"' or '#' or '\n' or ' ' or '\t' or '\r') break;
                if (c == '/' && Peek(1) == '/') break;
                if (c == '+' && Peek(1) == '=') break;
                if (c == '$' && Peek(1) == '{') break;
                _position++;
            }
            return Make(Kind.Word, text[start.._position], start);
        }

        private void SkipBlanks()
        {
            while (_position < text.Length && text[_position] is ' ' or '\t' or '\r' or '\uFEFF') _position++;
        }

        private char Peek(int ahead) => _position + ahead < text.Length ? text[_position + ahead] : '\0';

        private Token Make(Kind kind, string tokenText, int start) => new(kind, tokenText, _line, start - _lineStart + 1);
    }
}

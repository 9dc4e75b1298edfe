namespace ActorTasks.Hocon.Parsing;

internal enum TokenKind
{
    EndOfFile,
    Newline,
    Whitespace,
    Comma,
    Colon,
    Equals,
    PlusEquals,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    QuotedString,
    Unquoted,
    Number,
    True,
    False,
    Null,
    SubstitutionStart,
}

/// <summary>One token; Text is the decoded value for strings and the spelling for everything else.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Line, int Column, bool Flag = false)
{
    /// <summary>For SubstitutionStart: <c>${?</c>. For QuotedString: triple-quoted.</summary>
    public bool Optional => Flag;

    public bool IsSimpleValue => Kind is TokenKind.QuotedString or TokenKind.Unquoted or TokenKind.Number
        or TokenKind.True or TokenKind.False or TokenKind.Null;

    /// <summary>How an error message names this token.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.EndOfFile => "end of file",
        TokenKind.Newline => "end of line",
        TokenKind.Whitespace => "whitespace",
        TokenKind.Comma => "','",
        TokenKind.Colon => "':'",
        TokenKind.Equals => "'='",
        TokenKind.PlusEquals => "'+='",
        TokenKind.OpenBrace => "'{'",
        TokenKind.CloseBrace => "'}'",
        TokenKind.OpenBracket => "'['",
        TokenKind.CloseBracket => "']'",
        TokenKind.QuotedString => $"quoted string \"{Shorten(Text)}\"",
        TokenKind.Unquoted => $"'{Shorten(Text)}'",
        TokenKind.Number => $"number {Text}",
        TokenKind.True or TokenKind.False or TokenKind.Null => $"'{Text}'",
        TokenKind.SubstitutionStart => Optional ? "'${?'" : "'${'",
        _ => Kind.ToString(),
    };

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "...";
}

using System.Text;

namespace ActorTasks.Node.Console;

/// <summary>Splits a console line into words the way a shell would: whitespace separates, quotes group, backslash escapes.</summary>
public static class CommandLineSplitter
{
    /// <summary>The words of <paramref name="line"/>; an unclosed quote is an error naming its column.</summary>
    public static IReadOnlyList<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        var quoteColumn = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else if (c == '\\' && q == '"' && i + 1 < line.Length && line[i + 1] is '"' or '\\') word.Append(line[++i]);
                else word.Append(c);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                inWord = true;
                if (c is '"' or '\'')
                {
                    quote = c;
                    quoteColumn = i + 1;
                }
                else if (c == '\\' && i + 1 < line.Length) word.Append(line[++i]);
                else word.Append(c);
            }
        }
        if (quote is not null) throw new FormatException($"column {quoteColumn}: the quote {quote} is never closed");
        if (inWord) words.Add(word.ToString());
        return words;
    }
}

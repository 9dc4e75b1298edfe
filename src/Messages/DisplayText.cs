using System.Globalization;
using System.Text;

namespace ActorTasks.Messages;

/// <summary>
/// Makes text that came from someone else (a job's kind and arguments from a remote <c>submit</c>, an error message,
/// a file's line) safe to show on a terminal: control characters — escape sequences among them — are written as
/// visible <c>\x1B</c>-style escapes instead of being acted on.
/// </summary>
public static class DisplayText
{
    /// <summary><paramref name="text"/> with every control character (and Unicode bidirectional override) made visible.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (!text.Any(NeedsEscape)) return text;
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (!NeedsEscape(c)) escaped.Append(c);
            else if (c <= 0xFF) escaped.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        return escaped.ToString();
    }

    /// <summary>Each of <paramref name="words"/> escaped, joined by spaces.</summary>
    public static string Escape(IEnumerable<string>? words) => words is null ? "" : string.Join(' ', words.Select(Escape));

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}

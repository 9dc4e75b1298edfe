namespace ActorTasks.Examples.Chat.Server;

/// <summary>What the room accepts from the network: nicknames and lines. Each check returns why not, or null.</summary>
public static class ChatRules
{
    /// <summary>A nickname is 1 to 32 letters, digits, '-' or '_'.</summary>
    public static string? NickProblem(string? nick) =>
        string.IsNullOrEmpty(nick) ? "a nickname cannot be empty"
        : nick.Length > RoomSettings.MaxNickLength ? $"a nickname has at most {RoomSettings.MaxNickLength} characters; '{Shown(nick)}' has {nick.Length}"
        : !nick.All(c => char.IsLetterOrDigit(c) || c is '-' or '_') ? $"'{Shown(nick)}' is not a nickname: use letters, digits, '-' and '_'"
        : null;

    /// <summary>A line has at most <paramref name="maxLength"/> characters and no control characters but tabs.</summary>
    public static string? LineProblem(string? text, int maxLength) =>
        text is null ? "the line is missing"
        : text.Length > maxLength ? $"the line is {text.Length:N0} characters long; at most {maxLength:N0} are allowed"
        : text.Any(c => char.IsControl(c) && c != '\t') ? "the line holds control characters"
        : null;

    /// <summary>Text from the network made safe for a terminal: control characters (escape sequences) shown as '?'.</summary>
    public static string Shown(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) && c != '\t' ? '?' : c)) : text;
}

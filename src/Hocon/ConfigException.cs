namespace ActorTasks.Hocon;

/// <summary>Any problem with configuration text or with reading a value: syntax, includes, substitutions, types.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message, ConfigOrigin? origin = null, string? path = null, Exception? inner = null)
        : base(Compose(message, origin), inner)
    {
        Origin = origin;
        Path = path;
        Reason = message;
    }

    /// <summary>Where the problem is, when known (file or origin name, line, column).</summary>
    public ConfigOrigin? Origin { get; }

    /// <summary>The file or origin name, when known.</summary>
    public string? File => Origin?.Description;

    /// <summary>1-based line, or null when unknown.</summary>
    public int? Line => Origin is { Line: > 0 } o ? o.Line : null;

    /// <summary>1-based column, or null when unknown.</summary>
    public int? Column => Origin is { Column: > 0 } o ? o.Column : null;

    /// <summary>The configuration path the problem is about, when there is one.</summary>
    public string? Path { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Reason { get; }

    private static string Compose(string message, ConfigOrigin? origin) =>
        origin is null || string.IsNullOrEmpty(origin.Description) ? message : $"{origin.ToStringWithColumn()}: {message}";
}

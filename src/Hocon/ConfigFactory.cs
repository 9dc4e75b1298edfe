using System.Reflection;
using ActorTasks.Hocon.Parsing;

namespace ActorTasks.Hocon;

/// <summary>Options for parsing text that does not come from a file.</summary>
public sealed record ConfigParseOptions
{
    /// <summary>The name errors and origins use for the text (default "string").</summary>
    public string? OriginName { get; init; }

    /// <summary>Where relative includes are looked up (default: the current directory).</summary>
    public string? BaseDirectory { get; init; }
}

/// <summary>Creates configurations from HOCON, JSON and .properties text.</summary>
public static class ConfigFactory
{
    /// <summary>A configuration without settings.</summary>
    public static Config Empty { get; } = new(ConfigObject.Empty(new ConfigOrigin("empty configuration")), isResolved: true);

    /// <summary>Parses HOCON text; substitutions are resolved when a value is first read.</summary>
    public static Config ParseString(string text, string? originName = null) =>
        ParseString(text, new ConfigParseOptions { OriginName = originName });

    public static Config ParseString(string text, ConfigParseOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        var origin = new ConfigOrigin(options.OriginName ?? "string");
        return new Config(Parser.ParseDocument(text, origin, IncludeContext.ForText(options.BaseDirectory), ConfigPath.Root));
    }

    /// <summary>Parses UTF-8 bytes (a byte-order mark is allowed; invalid UTF-8 is an error).</summary>
    public static Config ParseBytes(ReadOnlySpan<byte> utf8, ConfigParseOptions? options = null)
    {
        options ??= new ConfigParseOptions();
        var text = IncludeContext.Decode(utf8, new ConfigOrigin(options.OriginName ?? "bytes"));
        return ParseString(text, options);
    }

    /// <summary>
    /// Parses a file: <c>.properties</c> as Java properties, anything else as HOCON (JSON included).
    /// Includes resolve relative to the file's directory.
    /// </summary>
    public static Config ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var origin = new ConfigOrigin(path);
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ConfigException($"expected a file path but found '{path}': {e.Message}", origin, inner: e);
        }
        if (Directory.Exists(full))
            throw new ConfigException("expected a configuration file but found a directory", origin);
        if (!File.Exists(full))
            throw new ConfigException("expected a configuration file but found none (no such file)", origin);
        var text = IncludeContext.ReadFile(full);
        if (full.EndsWith(".properties", StringComparison.OrdinalIgnoreCase))
            return new Config(PropertiesParser.Parse(text, origin));
        return new Config(Parser.ParseDocument(text, origin, IncludeContext.ForFile(full), ConfigPath.Root));
    }

    /// <summary>Parses an embedded resource; includes resolve among the same assembly's resources.</summary>
    public static Config ParseResource(Assembly assembly, string resourceName, string? originName = null)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(resourceName);
        var text = IncludeContext.ReadResource(assembly, resourceName);
        var origin = new ConfigOrigin(originName ?? resourceName);
        return new Config(Parser.ParseDocument(text, origin, IncludeContext.ForResource(assembly, resourceName), ConfigPath.Root));
    }

    /// <summary>
    /// Parses text that must be exactly one HOCON value (a number, string, concatenation, list, object,
    /// substitution); throws <see cref="ConfigException"/> if it is not.
    /// </summary>
    public static ConfigValue ParseValue(string text, string originName) => ParseValue(text, new ConfigOrigin(originName));

    /// <summary>Like <see cref="ParseValue(string, string)"/>, with an origin such as <see cref="ConfigOrigin.Named"/>.</summary>
    public static ConfigValue ParseValue(string text, ConfigOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parser.ParseSingleValue(text, origin, ConfigPath.Root);
    }

    /// <summary>A configuration holding one value at a path (e.g. <c>a.b.c</c>); the value may contain substitutions.</summary>
    public static Config FromPath(string path, ConfigValue value) =>
        new(Config.Wrap(ConfigPath.Parse(path).Segments, value));

    /// <summary>A configuration holding one value at the path made of the given keys, taken literally.</summary>
    public static Config FromKeys(IReadOnlyList<string> keys, ConfigValue value)
    {
        if (keys.Count == 0)
            throw new ArgumentException("expected at least one key", nameof(keys));
        return new Config(Config.Wrap(keys.ToArray(), value));
    }
}

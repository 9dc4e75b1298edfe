using System.Globalization;
using Akka.Configuration;

namespace ActorTasks.Tasks.Configuration;

/// <summary>
/// Reads typed settings from an Akka <see cref="Config"/>: a missing key gives the default, a value of the wrong type
/// throws <see cref="SettingsException"/> naming the key and quoting the value (Akka's own getters say only
/// "the input string was not in a correct format").
/// </summary>
public static class SettingReader
{
    /// <summary>A whole number.</summary>
    public static int Int(Config config, string key, int fallback) => Read(config, key, fallback, "a whole number", text =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null);

    /// <summary>on/off, true/false, yes/no.</summary>
    public static bool Bool(Config config, string key, bool fallback) => Read(config, key, fallback, "on or off", text =>
        text.ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => (bool?)null,
        });

    /// <summary>A duration such as <c>250ms</c>, <c>10s</c> or <c>infinite</c>.</summary>
    public static TimeSpan Duration(Config config, string key, TimeSpan fallback) => Read(config, key, fallback, "a duration such as 250ms or 10s", _ =>
    {
        try
        {
            return config.GetTimeSpan(key, null, allowInfinite: true);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return (TimeSpan?)null;
        }
    });

    /// <summary>A size in bytes such as <c>3 MiB</c> or <c>128000b</c>.</summary>
    public static long Bytes(Config config, string key, long fallback) => Read(config, key, fallback, "a size such as 3 MiB or 128000b", _ =>
    {
        try
        {
            return config.GetByteSize(key) is { } size and >= 0 ? size : (long?)null;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    });

    /// <summary>A string; null when the key is missing or set to null.</summary>
    public static string? String(Config config, string key, string? fallback) =>
        config.HasPath(key) ? config.GetString(key, fallback) : fallback;

    /// <summary>A list of strings (a single string is read as a list of one).</summary>
    public static IReadOnlyList<string> StringList(Config config, string key)
    {
        if (!config.HasPath(key)) return [];
        var value = config.GetValue(key);
        if (value.IsArray()) return [.. value.GetArray().Select(v => v.GetString())];
        if (value.IsString()) return [value.GetString()];
        throw new SettingsException(key, "expected a list such as [seed, worker]");
    }

    private static T Read<T>(Config config, string key, T fallback, string expected, Func<string, T?> parse)
        where T : struct
    {
        if (!config.HasPath(key)) return fallback;
        var value = config.GetValue(key);
        if (!value.IsString())
            throw new SettingsException(key, $"expected {expected}, got {(value.IsObject() ? "an object" : "a list")}");
        var text = value.GetString()?.Trim() ?? "";
        return parse(text) ?? throw new SettingsException(key, $"expected {expected}, got \"{text}\"");
    }
}

using System.Globalization;

namespace ActorTasks.Hocon;

public sealed partial class Config
{
    /// <summary>True when the path holds a value other than null.</summary>
    public bool HasPath(string path) => Find(path) is not (null or ConfigNull);

    /// <summary>The value at a path, or null when the path is missing.</summary>
    public ConfigValue? GetValueOrNull(string path) => Find(path);

    /// <summary>The value at a path; throws when it is missing.</summary>
    public ConfigValue GetValue(string path) => Require(path, "a value");

    public string GetString(string path) => AsString(path, Require(path, "a string"));

    public string GetString(string path, string @default) => Optional(path) is { } v ? AsString(path, v) : @default;

    public int GetInt(string path) => AsInt(path, Require(path, "an int"));

    public int GetInt(string path, int @default) => Optional(path) is { } v ? AsInt(path, v) : @default;

    public long GetLong(string path) => AsLong(path, Require(path, "a long"), "a long");

    public long GetLong(string path, long @default) => Optional(path) is { } v ? AsLong(path, v, "a long") : @default;

    public double GetDouble(string path) => AsDouble(path, Require(path, "a number"));

    public double GetDouble(string path, double @default) => Optional(path) is { } v ? AsDouble(path, v) : @default;

    public bool GetBoolean(string path) => AsBoolean(path, Require(path, "a boolean"));

    public bool GetBoolean(string path, bool @default) => Optional(path) is { } v ? AsBoolean(path, v) : @default;

    /// <summary>A duration: a number of milliseconds, or a number with a unit (ns, us, ms, s, m, h, d), or <c>infinite</c>.</summary>
    public TimeSpan GetTimeSpan(string path) => AsTimeSpan(path, Require(path, "a duration"));

    public TimeSpan GetTimeSpan(string path, TimeSpan @default) => Optional(path) is { } v ? AsTimeSpan(path, v) : @default;

    /// <summary>A size in bytes: a number, or a number with an SI (kB, MB…) or IEC (K, Ki, KiB, M…) unit.</summary>
    public long GetByteSize(string path) => AsByteSize(path, Require(path, "a size in bytes"));

    public long GetByteSize(string path, long @default) => Optional(path) is { } v ? AsByteSize(path, v) : @default;

    public IReadOnlyList<ConfigValue> GetList(string path) => AsList(path, Require(path, "a list"), "a list");

    public IReadOnlyList<string> GetStringList(string path) =>
        AsList(path, Require(path, "a list of strings"), "a list of strings").Select((v, i) => AsString(Item(path, i), v)).ToArray();

    public IReadOnlyList<int> GetIntList(string path) =>
        AsList(path, Require(path, "a list of ints"), "a list of ints").Select((v, i) => AsInt(Item(path, i), v)).ToArray();

    public IReadOnlyList<long> GetLongList(string path) =>
        AsList(path, Require(path, "a list of longs"), "a list of longs").Select((v, i) => AsLong(Item(path, i), v, "a long")).ToArray();

    public IReadOnlyList<double> GetDoubleList(string path) =>
        AsList(path, Require(path, "a list of numbers"), "a list of numbers").Select((v, i) => AsDouble(Item(path, i), v)).ToArray();

    public IReadOnlyList<bool> GetBooleanList(string path) =>
        AsList(path, Require(path, "a list of booleans"), "a list of booleans").Select((v, i) => AsBoolean(Item(path, i), v)).ToArray();

    /// <summary>The object at a path as a configuration of its own; throws when it is missing.</summary>
    public Config GetConfig(string path)
    {
        var value = Require(path, "an object");
        return value is ConfigObject o ? new Config(o, isResolved: true) : throw WrongType(path, value, "an object");
    }

    private static string Item(string path, int index) => $"{path}[{index}]";

    private ConfigValue? Find(string path)
    {
        ConfigValue? current = Root;
        foreach (var segment in SplitPath(path))
        {
            if (current is not ConfigObject o || !o.TryGetValue(segment, out current))
                return null;
        }
        return current;
    }

    private static string[] SplitPath(string path)
    {
        foreach (var c in path)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                return ConfigPath.Parse(path).Segments;
        }
        var segments = path.Split('.');
        return segments.Any(s => s.Length == 0) ? ConfigPath.Parse(path).Segments : segments;
    }

    private ConfigValue Require(string path, string expected)
    {
        var value = Find(path);
        if (value is null)
            throw new ConfigException($"{path}: expected {expected} but the setting is missing", null, path);
        if (value is ConfigNull)
            throw new ConfigException($"{path}: expected {expected} but found null", value.Origin, path);
        return value;
    }

    private ConfigValue? Optional(string path) => Find(path) is { } v and not ConfigNull ? v : null;

    internal static ConfigException WrongType(string path, ConfigValue value, string expected, string? detail = null) =>
        new($"{path}: expected {expected} but found {Describe(value)}{(detail is null ? "" : " (" + detail + ")")}", value.Origin, path);

    internal static string Describe(ConfigValue value) => value switch
    {
        ConfigString s => $"string \"{(s.Value.Length > 60 ? s.Value[..57] + "..." : s.Value)}\"",
        ConfigNumber n => $"number {n.Text}",
        ConfigBoolean b => b.Value ? "boolean true" : "boolean false",
        ConfigNull => "null",
        ConfigObject => "an object",
        ConfigArray => "a list",
        _ => "an unresolved value",
    };

    private static string AsString(string path, ConfigValue value) => value switch
    {
        ConfigString s => s.Value,
        ConfigNumber or ConfigBoolean => value.TextForConcatenation!,
        _ => throw WrongType(path, value, "a string"),
    };

    private static int AsInt(string path, ConfigValue value)
    {
        var l = AsLong(path, value, "an int");
        return l is >= int.MinValue and <= int.MaxValue ? (int)l : throw WrongType(path, value, "an int", "out of range for an int");
    }

    private static long AsLong(string path, ConfigValue value, string expected)
    {
        var number = AsNumber(path, value, expected);
        return number.LongValue ?? throw WrongType(path, value, expected, "not a whole number in range");
    }

    private static double AsDouble(string path, ConfigValue value) => AsNumber(path, value, "a number").DoubleValue;

    /// <summary>Numbers, and strings that read as numbers (values from .properties files and the environment are strings).</summary>
    private static ConfigNumber AsNumber(string path, ConfigValue value, string expected)
    {
        if (value is ConfigNumber n)
            return n;
        if (value is ConfigString s && double.TryParse(s.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            return new ConfigNumber(s.Value.Trim(), s.Origin);
        throw WrongType(path, value, expected);
    }

    private static bool AsBoolean(string path, ConfigValue value) => value switch
    {
        ConfigBoolean b => b.Value,
        ConfigString { Value: "true" or "yes" or "on" } => true,
        ConfigString { Value: "false" or "no" or "off" } => false,
        _ => throw WrongType(path, value, "a boolean (true/false, yes/no, on/off)"),
    };

    private static TimeSpan AsTimeSpan(string path, ConfigValue value) => value switch
    {
        ConfigNumber n => Units.Milliseconds(path, n),
        ConfigString s => Units.ParseDuration(path, s),
        _ => throw WrongType(path, value, "a duration"),
    };

    private static long AsByteSize(string path, ConfigValue value) => value switch
    {
        ConfigNumber n => n.LongValue ?? throw WrongType(path, value, "a size in bytes", "not a whole number of bytes"),
        ConfigString s => Units.ParseByteSize(path, s),
        _ => throw WrongType(path, value, "a size in bytes"),
    };

    private static IReadOnlyList<ConfigValue> AsList(string path, ConfigValue value, string expected) =>
        value as ConfigArray ?? throw WrongType(path, value, expected);
}

using System.Globalization;

namespace ActorTasks.Tasks.JobKinds.Common;

/// <summary>An option a job kind accepts: <c>--name VALUE</c> (or <c>--name=VALUE</c>), or a flag without a value.</summary>
internal sealed record JobOption(string Name, bool TakesValue, bool Repeatable = false);

/// <summary>Job arguments split into positionals and options, with errors that name the argument at fault.</summary>
/// <remarks>
/// Options are words that start with <c>--</c>; everything else is positional (so <c>-5</c> reaches the
/// number check and gets a number error). A lone <c>--</c> ends the options, for a grep pattern like <c>--x</c>.
/// </remarks>
internal sealed class JobArguments
{
    private readonly Dictionary<string, List<string>> _options;

    private JobArguments(IReadOnlyList<string> positionals, Dictionary<string, List<string>> options)
    {
        Positionals = positionals;
        _options = options;
    }

    /// <summary>The positional arguments in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>
    /// Parses <paramref name="arguments"/> for a kind whose usage is <paramref name="usage"/>; positionals are
    /// named by <paramref name="positionalNames"/>, the last one taking all remaining words when
    /// <paramref name="lastIsVariadic"/>.
    /// </summary>
    public static JobArguments Parse(
        IReadOnlyList<string> arguments,
        string usage,
        IReadOnlyList<string> positionalNames,
        IReadOnlyList<JobOption> options,
        bool lastIsVariadic = false)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var known = options.ToDictionary(o => o.Name, StringComparer.Ordinal);
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var positionals = new List<string>();
        var optionsEnded = false;

        for (var i = 0; i < arguments.Count; i++)
        {
            var word = arguments[i] ?? throw new JobArgumentException($"argument {i + 1}", "is null");
            if (optionsEnded || !word.StartsWith("--", StringComparison.Ordinal))
            {
                positionals.Add(word);
                continue;
            }
            if (word == "--")
            {
                optionsEnded = true;
                continue;
            }

            var equals = word.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? word : word[..equals];
            if (!known.TryGetValue(name, out var option))
            {
                var accepted = options.Count == 0 ? "it takes no options" : "it takes " + string.Join(", ", options.Select(o => o.Name));
                throw new JobArgumentException(name, $"unknown option; {accepted} (usage: {usage})");
            }

            string value;
            if (!option.TakesValue)
            {
                if (equals >= 0)
                    throw new JobArgumentException(name, "is a flag and takes no value");
                value = "";
            }
            else if (equals >= 0)
            {
                value = word[(equals + 1)..];
            }
            else if (i + 1 < arguments.Count)
            {
                value = arguments[++i] ?? throw new JobArgumentException(name, "needs a value");
            }
            else
            {
                throw new JobArgumentException(name, $"needs a value (usage: {usage})");
            }

            if (!values.TryGetValue(name, out var list))
                values[name] = list = [];
            else if (!option.Repeatable)
                throw new JobArgumentException(name, "is given more than once");
            list.Add(value);
        }

        if (positionals.Count < positionalNames.Count)
            throw new JobArgumentException(positionalNames[positionals.Count], $"is missing (usage: {usage})");
        if (!lastIsVariadic && positionals.Count > positionalNames.Count)
            throw new JobArgumentException(positionals[positionalNames.Count], $"is one argument too many (usage: {usage})");

        return new JobArguments(positionals, values);
    }

    /// <summary>
    /// <paramref name="arguments"/> with the positionals that <paramref name="isPath"/> picks (by position, from 0) made
    /// absolute against <paramref name="directory"/>; option values and everything else unchanged. Words it cannot
    /// place (an option without its value) are left as they are: Prepare reports them.
    /// </summary>
    public static IReadOnlyList<string> ResolvePaths(IReadOnlyList<string> arguments, IReadOnlyList<JobOption> options, Func<int, bool> isPath, string directory)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var known = options.ToDictionary(o => o.Name, StringComparer.Ordinal);
        var resolved = arguments.ToArray();
        var position = 0;
        var optionsEnded = false;
        for (var i = 0; i < resolved.Length; i++)
        {
            var word = resolved[i];
            if (word is null) return arguments;
            if (!optionsEnded && word == "--")
            {
                optionsEnded = true;
                continue;
            }
            if (!optionsEnded && word.StartsWith("--", StringComparison.Ordinal))
            {
                if (known.TryGetValue(word, out var option) && option.TakesValue) i++;
                continue;
            }
            if (isPath(position++) && word.Length > 0)
            {
                try
                {
                    resolved[i] = Path.GetFullPath(word, directory);
                }
                catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
                {
                    // Not a usable path: Prepare names it.
                }
            }
        }
        return resolved;
    }

    /// <summary>True when the flag or option <paramref name="name"/> was given.</summary>
    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>Every value given for a repeatable option, in order.</summary>
    public IReadOnlyList<string> All(string name) => _options.TryGetValue(name, out var list) ? list : [];

    /// <summary>The value of an option, or <paramref name="fallback"/> when it was not given.</summary>
    public string Value(string name, string fallback) => _options.TryGetValue(name, out var list) ? list[0] : fallback;

    /// <summary>The option's value as a whole number within [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/>.</summary>
    public long Number(string name, long fallback, long min, long max) =>
        _options.TryGetValue(name, out var list) ? ParseNumber(name, list[0], min, max) : fallback;

    /// <summary>The option's value as a duration (<c>30s</c>, <c>500ms</c>, <c>2m</c>, <c>1h</c>) within [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/>.</summary>
    public TimeSpan Duration(string name, TimeSpan fallback, TimeSpan min, TimeSpan max)
    {
        if (!_options.TryGetValue(name, out var list)) return fallback;
        var (number, unit) = SplitUnit(list[0]);
        double? seconds = unit.ToLowerInvariant() switch
        {
            "ms" => number / 1000,
            "s" => number,
            "m" or "min" => number * 60,
            "h" => number * 3600,
            _ => null,
        };
        if (seconds is null || double.IsNaN(number))
            throw new JobArgumentException(name, $"'{list[0]}' is not a duration; write a number and a unit: ms, s, m or h (e.g. 30s)");
        var value = TimeSpan.FromSeconds(Math.Min(seconds.Value, max.TotalSeconds + 1));
        if (value < min || value > max)
            throw new JobArgumentException(name, $"{list[0]} is out of range; it must be between {Text(min)} and {Text(max)}");
        return value;

        static string Text(TimeSpan t) => t.TotalSeconds >= 1 ? $"{t.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s" : $"{t.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
    }

    /// <summary>The option's value as a number of bytes (<c>1GiB</c>, <c>500MB</c>, <c>64KiB</c>, <c>1000</c>) within [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/>.</summary>
    public long Size(string name, long fallback, long min, long max)
    {
        if (!_options.TryGetValue(name, out var list)) return fallback;
        var (number, unit) = SplitUnit(list[0]);
        double? factor = unit.ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "kb" => 1e3,
            "mb" => 1e6,
            "gb" => 1e9,
            "tb" => 1e12,
            "kib" => 1L << 10,
            "mib" => 1L << 20,
            "gib" => 1L << 30,
            "tib" => 1L << 40,
            _ => null,
        };
        if (factor is null || double.IsNaN(number))
            throw new JobArgumentException(name, $"'{list[0]}' is not a size; write a number of bytes, or a number and a unit: KB, MB, GB, KiB, MiB, GiB (e.g. 1GiB)");
        var bytes = number * factor.Value;
        if (bytes < min || bytes > max)
            throw new JobArgumentException(name, $"{list[0]} is out of range; it must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} bytes");
        return (long)bytes;
    }

    // "1.5GiB" → (1.5, "GiB"); a word that does not start with a number gives NaN.
    private static (double Number, string Unit) SplitUnit(string text)
    {
        var trimmed = text.Trim();
        var end = 0;
        while (end < trimmed.Length && (char.IsAsciiDigit(trimmed[end]) || trimmed[end] is '.' or '_')) end++;
        var number = double.TryParse(trimmed[..end].Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : double.NaN;
        return (number, trimmed[end..].Trim());
    }

    /// <summary>Parses a whole number argument, naming <paramref name="argument"/> when it is not one or out of range.</summary>
    public static long ParseNumber(string argument, string text, long min, long max)
    {
        var trimmed = text.Replace("_", "", StringComparison.Ordinal);
        if (!long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            // 1e9 is a handy way to type large bounds; accept it when it is a whole number.
            if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                || d != Math.Floor(d) || d < long.MinValue || d >= 9.2e18)
                throw new JobArgumentException(argument, $"'{text}' is not a whole number");
            value = (long)d;
        }
        if (value < min || value > max)
            throw new JobArgumentException(argument, $"{value.ToString(CultureInfo.InvariantCulture)} is out of range; it must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
        return value;
    }
}

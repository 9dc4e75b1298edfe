using System.Globalization;

namespace ActorTasks.Hocon;

/// <summary>Durations and sizes in bytes written as a number and a unit.</summary>
internal static class Units
{
    private static readonly Dictionary<string, decimal> TicksPerDurationUnit = BuildDurations();
    private static readonly Dictionary<string, decimal> BytesPerSizeUnit = BuildSizes();

    public static TimeSpan Milliseconds(string path, ConfigNumber n) => FromTicks(path, n, (decimal)n.DoubleValue * TimeSpan.TicksPerMillisecond);

    public static TimeSpan ParseDuration(string path, ConfigString s)
    {
        var text = s.Value.Trim();
        if (text is "infinite" or "inf")
            return Timeout.InfiniteTimeSpan;
        if (!Split(text, out var number, out var unit))
            throw Config.WrongType(path, s, "a duration", "write a number and one of ns, us, ms, s, m, h, d, or 'infinite'");
        if (unit.Length == 0)
            unit = "ms";
        if (!TicksPerDurationUnit.TryGetValue(unit, out var ticksPerUnit))
            throw Config.WrongType(path, s, "a duration", $"unknown unit '{unit}'; use ns, us, ms, s, m, h or d");
        return FromTicks(path, s, Multiply(path, s, number, ticksPerUnit, "a duration"));
    }

    public static long ParseByteSize(string path, ConfigString s)
    {
        var text = s.Value.Trim();
        if (!Split(text, out var number, out var unit))
            throw Config.WrongType(path, s, "a size in bytes", "write a number and a unit such as B, kB, MB, K, KiB, M, MiB, G, GiB");
        var bytesPerUnit = 1m;
        if (unit.Length > 0 && !BytesPerSizeUnit.TryGetValue(unit, out bytesPerUnit))
            throw Config.WrongType(path, s, "a size in bytes", $"unknown unit '{unit}'");
        var bytes = decimal.Truncate(Multiply(path, s, number, bytesPerUnit, "a size in bytes"));
        if (bytes > long.MaxValue || bytes < long.MinValue)
            throw Config.WrongType(path, s, "a size in bytes", "too large for a 64-bit number of bytes");
        return (long)bytes;
    }

    private static decimal Multiply(string path, ConfigValue value, decimal number, decimal factor, string expected)
    {
        try
        {
            return number * factor;
        }
        catch (OverflowException)
        {
            throw Config.WrongType(path, value, expected, "out of range");
        }
    }

    private static TimeSpan FromTicks(string path, ConfigValue value, decimal ticks)
    {
        ticks = decimal.Truncate(ticks);
        if (ticks > TimeSpan.MaxValue.Ticks || ticks < TimeSpan.MinValue.Ticks)
            throw Config.WrongType(path, value, "a duration", "out of range for a TimeSpan");
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Optional whitespace, a number, optional whitespace, letters only, optional whitespace.</summary>
    private static bool Split(string text, out decimal number, out string unit)
    {
        var end = text.Length;
        var unitStart = end;
        while (unitStart > 0 && char.IsLetter(text[unitStart - 1]))
            unitStart--;
        unit = text[unitStart..];
        var numberText = text[..unitStart].TrimEnd();
        if (numberText.StartsWith('+'))
            numberText = numberText[1..];
        number = 0;
        if (numberText.Length == 0 || numberText.Any(c => !(char.IsAsciiDigit(c) || c is '-' or '.' or 'e' or 'E' or '+')))
            return false;
        return decimal.TryParse(numberText, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    private static Dictionary<string, decimal> BuildDurations()
    {
        var d = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal ticks, params string[] names)
        {
            foreach (var n in names)
                d[n] = ticks;
        }
        Add(0.01m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(10m, "us", "micro", "micros", "microsecond", "microseconds");
        Add(TimeSpan.TicksPerMillisecond, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(TimeSpan.TicksPerSecond, "s", "second", "seconds");
        Add(TimeSpan.TicksPerMinute, "m", "minute", "minutes");
        Add(TimeSpan.TicksPerHour, "h", "hour", "hours");
        Add(TimeSpan.TicksPerDay, "d", "day", "days");
        return d;
    }

    private static Dictionary<string, decimal> BuildSizes()
    {
        var d = new Dictionary<string, decimal>(StringComparer.Ordinal) { ["B"] = 1, ["b"] = 1, ["byte"] = 1, ["bytes"] = 1 };
        string[] si = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
        string[] siWords = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] iecWords = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        decimal power10 = 1, power2 = 1;
        for (var i = 0; i < si.Length; i++)
        {
            power10 *= 1000;
            power2 *= 1024;
            d[si[i] + "B"] = power10;
            d[siWords[i] + "byte"] = power10;
            d[siWords[i] + "bytes"] = power10;
            var upper = si[i].ToUpperInvariant();
            d[upper] = power2;
            d[upper.ToLowerInvariant()] = power2;
            d[upper + "i"] = power2;
            d[upper + "iB"] = power2;
            d[iecWords[i] + "byte"] = power2;
            d[iecWords[i] + "bytes"] = power2;
        }
        return d;
    }
}

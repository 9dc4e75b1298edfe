using System.Globalization;

namespace ActorTasks.Hocon;

/// <summary>A string value, quoted or unquoted in the source.</summary>
public sealed class ConfigString : ConfigValue
{
    public ConfigString(string value, ConfigOrigin? origin = null) : base(origin ?? ConfigOrigin.None) => Value = value;

    internal ConfigString(string value, ConfigOrigin origin, bool isWhitespace) : base(origin)
    {
        Value = value;
        IsWhitespace = isWhitespace;
    }

    public string Value { get; }

    /// <summary>True for the whitespace kept between the parts of a value concatenation.</summary>
    internal bool IsWhitespace { get; }

    public override ConfigValueType Type => ConfigValueType.String;

    internal override string TextForConcatenation => Value;

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigString(Value, origin, IsWhitespace);
}

/// <summary>A number, keeping the spelling it had in the source.</summary>
public sealed class ConfigNumber : ConfigValue
{
    public ConfigNumber(string text, ConfigOrigin? origin = null) : base(origin ?? ConfigOrigin.None)
    {
        Text = text;
        if (text.AsSpan().IndexOfAny(".eE") < 0 && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            LongValue = l;
            DoubleValue = l;
        }
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            DoubleValue = d;
            if (Math.Floor(d) == d && d >= long.MinValue && d < long.MaxValue && text.AsSpan().IndexOfAny(".eE") >= 0)
                LongValue = (long)d;
        }
        else
        {
            throw new ConfigException($"'{text}' is not a number", origin);
        }
    }

    public ConfigNumber(long value, ConfigOrigin? origin = null) : this(value.ToString(CultureInfo.InvariantCulture), origin)
    {
    }

    /// <summary>The number as written.</summary>
    public string Text { get; }

    public double DoubleValue { get; }

    /// <summary>The value as a whole number, when it is one that fits a long.</summary>
    public long? LongValue { get; }

    public override ConfigValueType Type => ConfigValueType.Number;

    internal override string TextForConcatenation => Text;

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigNumber(Text, origin);
}

/// <summary>true or false.</summary>
public sealed class ConfigBoolean : ConfigValue
{
    public ConfigBoolean(bool value, ConfigOrigin? origin = null) : base(origin ?? ConfigOrigin.None) => Value = value;

    public bool Value { get; }

    public override ConfigValueType Type => ConfigValueType.Boolean;

    internal override string TextForConcatenation => Value ? "true" : "false";

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigBoolean(Value, origin);
}

/// <summary>An explicit null; it hides fallbacks and blocks environment look-up of the same path.</summary>
public sealed class ConfigNull : ConfigValue
{
    public ConfigNull(ConfigOrigin? origin = null) : base(origin ?? ConfigOrigin.None)
    {
    }

    public override ConfigValueType Type => ConfigValueType.Null;

    internal override string TextForConcatenation => "null";

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigNull(origin);
}

using System.Text;

namespace ActorTasks.Remote.Serialization;

/// <summary>Type names for error messages, and untrusted text made safe for one log line.</summary>
internal static class TypeNames
{
    private const int MaxPrintable = 200;

    /// <summary>C#-style name: <c>MyApp.Envelope&lt;MyApp.Order&gt;</c>, or without namespaces.</summary>
    public static string Friendly(Type type, bool qualified = true)
    {
        if (type.IsArray) return Friendly(type.GetElementType()!, qualified) + "[]";
        if (type.IsGenericParameter) return type.Name;
        var prefix = type.DeclaringType is { } outer ? Friendly(outer, qualified) + "."
            : qualified && type.Namespace is { } ns ? ns + "."
            : "";
        var name = WithoutArity(type.Name);
        if (!type.IsGenericType) return prefix + name;
        return $"{prefix}{name}<{string.Join(", ", type.GetGenericArguments().Select(a => Friendly(a, qualified)))}>";
    }

    /// <summary>A name usable as a property of a JSON context: <c>Order</c>, <c>EnvelopeOrder</c>.</summary>
    public static string Identifier(Type type)
    {
        if (type.IsArray) return Identifier(type.GetElementType()!) + "Array";
        var name = WithoutArity(type.Name);
        return type.IsGenericType ? name + string.Concat(type.GetGenericArguments().Select(Identifier)) : name;
    }

    /// <summary><c>OrderPlaced</c> becomes <c>order-placed</c>, for sample manifest names.</summary>
    public static string Kebab(string name)
    {
        name = WithoutArity(name);
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0) sb.Append('-');
            if (char.IsLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>Untrusted text cut to a sane length with control characters replaced, so it cannot forge log lines.</summary>
    public static string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var cut = text.Length > MaxPrintable;
        var span = cut ? text.AsSpan(0, MaxPrintable) : text.AsSpan();
        var sb = new StringBuilder(span.Length + 3);
        foreach (var c in span) sb.Append(char.IsControl(c) || char.IsSurrogate(c) ? '?' : c);
        if (cut) sb.Append('…');
        return sb.ToString();
    }

    private static string WithoutArity(string name)
    {
        var tick = name.IndexOf('`');
        return tick >= 0 ? name[..tick] : name;
    }
}

using System.Globalization;
using ActorTasks.Actor;

namespace ActorTasks.Testing;

/// <summary>How failure messages name types, messages, senders and durations.</summary>
internal static class Describe
{
    private const int MaxValueLength = 200;

    /// <summary><c>Int32</c>, <c>List&lt;String&gt;</c>: the short name, with generic arguments.</summary>
    public static string Type(Type type)
    {
        var name = StripArity(type.Name);
        return type.IsGenericType && !type.IsGenericTypeDefinition
            ? $"{name}<{string.Join(", ", type.GetGenericArguments().Select(Type))}>"
            : name;
    }

    public static string Type<T>() => Type(typeof(T));

    /// <summary>A value as <c>String "hello"</c> or <c>Int32 42</c>.</summary>
    public static string Value(object? value) => value is null ? "null" : $"{Type(value.GetType())} {Text(value)}";

    /// <summary>A value's text alone: strings quoted, long text cut.</summary>
    public static string Text(object? value)
    {
        var text = value switch
        {
            null => "null",
            string s => "\"" + s + "\"",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.Length <= MaxValueLength ? text : text[..MaxValueLength] + "…";
    }

    public static string Sender(IActorRef? sender) => sender.IsNobody() ? "no sender" : $"[{sender!.Path}]";

    public static string Received(object message, IActorRef sender) => $"{Value(message)} from {Sender(sender)}";

    public static string Ms(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan ? "infinite" : duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    /// <summary><c>[Int32 1, String "a"]</c>, at most <paramref name="max"/> items.</summary>
    public static string List(IEnumerable<object?> values, int max = 10)
    {
        var items = values.Take(max + 1).Select(Value).ToList();
        if (items.Count > max) items[max] = "…";
        return "[" + string.Join(", ", items) + "]";
    }

    private static string StripArity(string name)
    {
        var tick = name.IndexOf('`');
        return tick < 0 ? name : name[..tick];
    }
}

using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ActorTasks.Hocon;

/// <summary>An object: fields in the order they were first defined.</summary>
public sealed class ConfigObject : ConfigValue, IReadOnlyDictionary<string, ConfigValue>
{
    private readonly List<string> _keys;
    private readonly Dictionary<string, ConfigValue> _fields;

    internal ConfigObject(ConfigOrigin origin, int capacity = 0) : base(origin)
    {
        _keys = new List<string>(capacity);
        _fields = new Dictionary<string, ConfigValue>(capacity, StringComparer.Ordinal);
    }

    /// <summary>An empty object.</summary>
    public static ConfigObject Empty(ConfigOrigin? origin = null) => new(origin ?? ConfigOrigin.None);

    public override ConfigValueType Type => ConfigValueType.Object;

    public int Count => _keys.Count;

    public IEnumerable<string> Keys => _keys;

    public IEnumerable<ConfigValue> Values => _keys.Select(k => _fields[k]);

    public ConfigValue this[string key] => _fields[key];

    public bool ContainsKey(string key) => _fields.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out ConfigValue value) => _fields.TryGetValue(key, out value);

    internal ConfigValue? Get(string key) => _fields.GetValueOrDefault(key);

    internal IReadOnlyList<string> KeyList => _keys;

    /// <summary>The field values in no particular order (for whole-tree checks).</summary>
    internal Dictionary<string, ConfigValue>.ValueCollection FieldValues => _fields.Values;

    /// <summary>Sets a field while this object is being built (parser, merger, resolver); never after it is shared.</summary>
    internal void Set(string key, ConfigValue value)
    {
        if (!_fields.ContainsKey(key))
            _keys.Add(key);
        _fields[key] = value;
    }

    internal override bool IsResolvedKind => true;

    internal override ConfigValue WithOrigin(ConfigOrigin origin)
    {
        var copy = new ConfigObject(origin, Count);
        foreach (var key in _keys)
            copy.Set(key, _fields[key]);
        return copy;
    }

    public IEnumerator<KeyValuePair<string, ConfigValue>> GetEnumerator()
    {
        foreach (var key in _keys)
            yield return new KeyValuePair<string, ConfigValue>(key, _fields[key]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

using System.Collections;

namespace ActorTasks.Hocon;

/// <summary>An array of values.</summary>
public sealed class ConfigArray : ConfigValue, IReadOnlyList<ConfigValue>
{
    private readonly List<ConfigValue> _items;

    internal ConfigArray(ConfigOrigin origin, List<ConfigValue> items) : base(origin) => _items = items;

    public ConfigArray(IEnumerable<ConfigValue> items, ConfigOrigin? origin = null) : base(origin ?? ConfigOrigin.None) =>
        _items = items.ToList();

    public override ConfigValueType Type => ConfigValueType.Array;

    public int Count => _items.Count;

    public ConfigValue this[int index] => _items[index];

    internal List<ConfigValue> Items => _items;

    internal override ConfigValue WithOrigin(ConfigOrigin origin) => new ConfigArray(origin, _items);

    public IEnumerator<ConfigValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Google.Protobuf;

namespace ActorTasks.Remote.Serialization;

/// <summary>
/// The message types that may cross the wire, each under a stable manifest name with the serializer that writes it.
/// Fill it at startup, then <see cref="Freeze"/> it (a <see cref="MessageSerializer"/> does); lookups are by exact type
/// for sending and by manifest for receiving — a name from the network never becomes a type any other way.
/// </summary>
public sealed partial class SerializerRegistry
{
    private const int MaxManifestLength = 200;

    // Registration takes the lock; lookups before Freeze take it too. After Freeze, lookups read the frozen
    // snapshot without a lock, and every further registration throws, so the snapshot is never stale.
    private readonly Lock _gate = new();
    private readonly Dictionary<Type, MessageRegistration> _byType = [];
    private readonly Dictionary<string, MessageRegistration> _byManifest = new(StringComparer.Ordinal);
    private volatile Snapshot? _frozen;

    /// <summary>A registry with the runtime's built-ins: control messages, string, int, long, double, bool, Guid, byte[] and ReadOnlyMemory&lt;byte&gt;.</summary>
    public static SerializerRegistry CreateDefault()
    {
        var registry = new SerializerRegistry();
        registry.RegisterBytes();
        foreach (var (type, manifest) in BuiltInSerializer.Manifests)
            registry.Add(type, manifest, BuiltInSerializer.Instance);
        Provider.RemoteSystemJson.Register(registry);
        return registry;
    }

    /// <summary>True once <see cref="Freeze"/> was called; no registration is accepted after that.</summary>
    public bool IsFrozen => _frozen is not null;

    /// <summary>Every registration, in no particular order.</summary>
    public IReadOnlyCollection<MessageRegistration> Registrations
    {
        get
        {
            if (_frozen is { } frozen) return frozen.ByManifest.Values;
            lock (_gate) return [.. _byManifest.Values];
        }
    }

    /// <summary>Registers <typeparamref name="T"/> as JSON with source-generated type info (the preferred way), e.g. <c>MyJsonContext.Default.MyMsg</c>.</summary>
    public SerializerRegistry RegisterJson<T>(string manifest, JsonTypeInfo<T> typeInfo) =>
        Add(typeof(T), manifest, new JsonMessageSerializer<T>(typeInfo ?? throw new ArgumentNullException(nameof(typeInfo))));

    /// <summary>Registers <typeparamref name="T"/> as JSON through reflection: convenient, but slower and not trim-safe; prefer a source-generated context.</summary>
    [RequiresUnreferencedCode("Reflection-based JSON; use RegisterJson<T>(manifest, JsonTypeInfo<T>) with a source-generated context instead.")]
    [RequiresDynamicCode("Reflection-based JSON; use RegisterJson<T>(manifest, JsonTypeInfo<T>) with a source-generated context instead.")]
    public SerializerRegistry RegisterJson<T>(string manifest, JsonSerializerOptions? options = null)
    {
        var copy = options is null ? new JsonSerializerOptions(JsonSerializerDefaults.General) : new JsonSerializerOptions(options);
        copy.TypeInfoResolver ??= new DefaultJsonTypeInfoResolver();
        return Add(typeof(T), manifest, new JsonMessageSerializer<T>(ActorRefJsonConverter.Resolve<T>(copy)));
    }

    /// <summary>Registers a protobuf message type, read back with <paramref name="parser"/> (usually <c>T.Parser</c>).</summary>
    public SerializerRegistry RegisterProtobuf<T>(string manifest, MessageParser<T> parser) where T : IMessage<T> =>
        Add(typeof(T), manifest, new ProtobufSerializer<T>(parser));

    /// <summary>Registers <c>byte[]</c> ("actortasks.bytes") and <c>ReadOnlyMemory&lt;byte&gt;</c> ("actortasks.memory"), sent as they are.</summary>
    public SerializerRegistry RegisterBytes()
    {
        Add(typeof(byte[]), "actortasks.bytes", BytesSerializer.Instance);
        return Add(typeof(ReadOnlyMemory<byte>), "actortasks.memory", BytesSerializer.Instance);
    }

    /// <summary>Registers <typeparamref name="T"/> with a serializer of your own, whose id must be at least <see cref="SerializerIds.FirstUserId"/>.</summary>
    public SerializerRegistry Register<T>(string manifest, ISerializer serializer) => Register(typeof(T), manifest, serializer);

    /// <summary>Registers <paramref name="type"/> with a serializer of your own, whose id must be at least <see cref="SerializerIds.FirstUserId"/>.</summary>
    public SerializerRegistry Register(Type type, string manifest, ISerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        if (serializer.Id < SerializerIds.FirstUserId)
            throw new ArgumentException(
                $"serializer {serializer.GetType().Name} has id {serializer.Id}, but ids below {SerializerIds.FirstUserId} are reserved for ActorTasks; "
                + $"give it an id of {SerializerIds.FirstUserId} or more, or use RegisterJson / RegisterProtobuf / RegisterBytes",
                nameof(serializer));
        return Add(type, manifest, serializer);
    }

    /// <summary>Ends registration: from now on lookups are lock-free and any registration throws.</summary>
    public void Freeze()
    {
        lock (_gate)
            _frozen ??= new Snapshot(_byType.ToFrozenDictionary(), _byManifest.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The registration of exactly <paramref name="type"/> (no base types, no interfaces), for sending.</summary>
    public bool TryGetByType(Type type, [NotNullWhen(true)] out MessageRegistration? registration)
    {
        if (_frozen is { } frozen) return frozen.ByType.TryGetValue(type, out registration);
        lock (_gate) return _byType.TryGetValue(type, out registration);
    }

    /// <summary>The registration under <paramref name="manifest"/>, for receiving.</summary>
    public bool TryGetByManifest(string manifest, [NotNullWhen(true)] out MessageRegistration? registration)
    {
        if (_frozen is { } frozen) return frozen.ByManifest.TryGetValue(manifest, out registration);
        lock (_gate) return _byManifest.TryGetValue(manifest, out registration);
    }

    /// <summary>The registration of exactly <paramref name="type"/>, or an <see cref="UnregisteredMessageTypeException"/> that says how to register it.</summary>
    public MessageRegistration GetByType(Type type) =>
        TryGetByType(type, out var registration) ? registration : throw Unregistered(type);

    private UnregisteredMessageTypeException Unregistered(Type type)
    {
        var relative = Registrations.Select(r => r.Type).FirstOrDefault(t => t.IsAssignableFrom(type));
        var hint = relative is null ? null
            : $"{TypeNames.Friendly(relative)} is registered, but messages are matched by their exact type: register {TypeNames.Friendly(type, qualified: false)} itself.";
        return new UnregisteredMessageTypeException(type, hint);
    }

    private SerializerRegistry Add(Type type, string manifest, ISerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(type);
        ValidateManifest(manifest);
        if (type.IsAbstract || type.IsInterface || type.ContainsGenericParameters)
            throw new ArgumentException(
                $"cannot register {TypeNames.Friendly(type)}: messages are looked up by their exact runtime type, so register each concrete (closed) type",
                nameof(type));
        lock (_gate)
        {
            if (_frozen is not null)
                throw new InvalidOperationException(
                    $"cannot register {TypeNames.Friendly(type)} under '{manifest}': the serializer registry is frozen (remoting has started); "
                    + "register every message type at startup, before creating the MessageSerializer");
            if (_byType.TryGetValue(type, out var sameType))
                throw new ArgumentException(
                    $"{TypeNames.Friendly(type)} is already registered under manifest '{sameType.Manifest}'; a type has exactly one manifest",
                    nameof(type));
            if (_byManifest.TryGetValue(manifest, out var sameManifest))
                throw new ArgumentException(
                    $"manifest '{manifest}' is already used by {TypeNames.Friendly(sameManifest.Type)}; give {TypeNames.Friendly(type)} a manifest of its own",
                    nameof(manifest));
            var registration = new MessageRegistration(type, manifest, serializer);
            _byType.Add(type, registration);
            _byManifest.Add(manifest, registration);
        }
        return this;
    }

    private static void ValidateManifest(string manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Length is 0 or > MaxManifestLength)
            throw new ArgumentException($"a manifest must have 1 to {MaxManifestLength} characters, but '{manifest}' has {manifest.Length}", nameof(manifest));
        foreach (var c in manifest)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' or '/' or '+'))
                throw new ArgumentException(
                    $"manifest '{manifest}' contains '{c}'; use ASCII letters, digits and . - _ : / + (e.g. \"my-app.order-placed\")",
                    nameof(manifest));
        }
    }

    private sealed record Snapshot(
        FrozenDictionary<Type, MessageRegistration> ByType,
        FrozenDictionary<string, MessageRegistration> ByManifest);
}

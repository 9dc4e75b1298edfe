using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ActorTasks.Remote.Serialization;

/// <summary>Writes one message type as UTF-8 JSON with System.Text.Json and reads it back (serializer id 3).</summary>
internal sealed class JsonMessageSerializer<T> : ISerializer
{
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly bool _usesDefaultEncoder;

    /// <summary>Creates the serializer from source-generated (or otherwise resolved) type info; refs are converted automatically.</summary>
    public JsonMessageSerializer(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        _typeInfo = ActorRefJsonConverter.Attach(typeInfo);
        _usesDefaultEncoder = _typeInfo.Options.Encoder is null;
    }

    /// <summary>The type info actually used, with the actor-ref converter attached.</summary>
    public JsonTypeInfo<T> TypeInfo => _typeInfo;

    /// <inheritdoc />
    public int Id => SerializerIds.Json;

    /// <inheritdoc />
    public void ToBinary(object message, IBufferWriter<byte> output, SerializationContext context)
    {
        using var scope = context.Enter();
        if (!_usesDefaultEncoder)
        {
            using var own = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = _typeInfo.Options.Encoder });
            JsonSerializer.Serialize(own, (T)message, _typeInfo);
            return;
        }
        var writer = JsonWriterCache.Rent(output);
        try
        {
            JsonSerializer.Serialize(writer, (T)message, _typeInfo);
            writer.Flush();
        }
        finally
        {
            JsonWriterCache.Return(writer);
        }
    }

    /// <inheritdoc />
    public object FromBinary(ReadOnlySpan<byte> bytes, Type type, SerializationContext context)
    {
        using var scope = context.Enter();
        return JsonSerializer.Deserialize(bytes, _typeInfo) ?? throw new JsonException("the payload is JSON null");
    }
}

/// <summary>One reusable JSON writer per thread, so that writing a message does not allocate a writer each time.</summary>
internal static class JsonWriterCache
{
    // A writer parked in the cache points here, not at the last output, so it keeps no message buffer alive.
    private static readonly ArrayBufferWriter<byte> Parked = new(1);

    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static Utf8JsonWriter Rent(IBufferWriter<byte> output)
    {
        // Taken out of the slot while in use, so a nested JSON write on the same thread gets its own writer.
        var writer = t_writer;
        t_writer = null;
        if (writer is null) return new Utf8JsonWriter(output);
        writer.Reset(output);
        return writer;
    }

    public static void Return(Utf8JsonWriter writer)
    {
        writer.Reset(Parked);
        t_writer = writer;
    }
}

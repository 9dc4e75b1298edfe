using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ActorTasks.Actor;

namespace ActorTasks.Remote.Serialization;

/// <summary>Writes <see cref="IActorRef"/> properties as path strings and reads them back as working refs, through the current <see cref="SerializationContext"/>.</summary>
/// <remarks>
/// <see cref="SerializerRegistry"/> adds it to every JSON registration by itself, source-generated or not.
/// Listing it in <c>[JsonSourceGenerationOptions(Converters = [typeof(ActorRefJsonConverter)])]</c> is optional
/// and only saves the generator from emitting metadata for the ref types. Declare ref properties as
/// <see cref="IActorRef"/>, not as a concrete ref class.
/// </remarks>
public sealed class ActorRefJsonConverter : JsonConverter<IActorRef>
{
    /// <inheritdoc />
    public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"expected an actor path string but found {reader.TokenType}");
        return CurrentContext().ResolveRef(reader.GetString()!);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
        writer.WriteStringValue(CurrentContext().SerializeRef(value));

    /// <summary>
    /// <paramref name="typeInfo"/> as is when its options already convert refs, otherwise the same contract
    /// resolved again (from the same source-generated context, or reflection) by options that include this converter.
    /// </summary>
    internal static JsonTypeInfo<T> Attach<T>(JsonTypeInfo<T> typeInfo)
    {
        var options = typeInfo.Options;
        if (ConvertsRefs(options) || options.TypeInfoResolver is null) return typeInfo;
        return Resolve<T>(new JsonSerializerOptions(options));
    }

    /// <summary>The type info of <typeparamref name="T"/> for a private copy of <paramref name="options"/> that converts refs.</summary>
    internal static JsonTypeInfo<T> Resolve<T>(JsonSerializerOptions options)
    {
        if (!ConvertsRefs(options)) options.Converters.Insert(0, new ActorRefJsonConverter());
        options.MakeReadOnly();
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    private static bool ConvertsRefs(JsonSerializerOptions options) =>
        options.Converters.Any(c => c.CanConvert(typeof(IActorRef)));

    private static SerializationContext CurrentContext() =>
        SerializationContext.Current ?? throw new InvalidOperationException(
            "an IActorRef inside a message can only be written or read by the remote MessageSerializer, which supplies the actor-ref resolver");
}

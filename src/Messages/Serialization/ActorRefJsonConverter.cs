using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;

namespace ActorTasks.Messages.Serialization;

/// <summary>
/// Writes an actor ref as its serialized path (with the node's address and the actor's uid) and reads it back through
/// the actor system's provider, the way Akka's own serializers carry refs; <see cref="ActorRefs.Nobody"/> is "".
/// </summary>
internal sealed class ActorRefJsonConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
{
    public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var path = reader.GetString();
        if (string.IsNullOrEmpty(path)) return ActorRefs.Nobody;
        if (!ActorPath.TryParse(path, out _)) throw new JsonException($"'{path}' is not an actor path");
        return system.Provider.ResolveActorRef(path);
    }

    public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value is null || value.IsNobody() ? "" : Akka.Serialization.Serialization.SerializedActorPath(value));
}

using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;

namespace ActorTasks.Examples.Chat.Protocol;

/// <summary>
/// The chat's own Akka serializer: each message type has a fixed manifest (<c>chat.join</c>, <c>chat.said</c>, …) and
/// source-generated JSON, so what comes from the network can only ever become one of these types.
/// </summary>
/// <remarks>Bound to <see cref="IChatMessage"/> in <see cref="ChatConfig"/>; bytes that do not decode throw, and Akka.Remote drops that message.</remarks>
public sealed class ChatSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer's id in Akka's envelopes (Akka's own use ids below 100, ActorTasks 110).</summary>
    public const int SerializerId = 120;

    private static readonly (Type Type, string Manifest, JsonTypeInfo Json)[] Table =
    [
        (typeof(Join), "chat.join", ChatJsonContext.Default.Join),
        (typeof(Welcome), "chat.welcome", ChatJsonContext.Default.Welcome),
        (typeof(JoinRefused), "chat.join-refused", ChatJsonContext.Default.JoinRefused),
        (typeof(Say), "chat.say", ChatJsonContext.Default.Say),
        (typeof(SayRefused), "chat.say-refused", ChatJsonContext.Default.SayRefused),
        (typeof(Who), "chat.who", ChatJsonContext.Default.Who),
        (typeof(Members), "chat.members", ChatJsonContext.Default.Members),
        (typeof(Leave), "chat.leave", ChatJsonContext.Default.Leave),
        (typeof(Ack), "chat.ack", ChatJsonContext.Default.Ack),
        (typeof(Dropped), "chat.dropped", ChatJsonContext.Default.Dropped),
        (typeof(Said), "chat.said", ChatJsonContext.Default.Said),
        (typeof(MemberJoined), "chat.member-joined", ChatJsonContext.Default.MemberJoined),
        (typeof(MemberLeft), "chat.member-left", ChatJsonContext.Default.MemberLeft),
    ];

    private static readonly Dictionary<Type, (string Manifest, JsonTypeInfo Json)> ByType = Table.ToDictionary(t => t.Type, t => (t.Manifest, t.Json));
    private static readonly Dictionary<string, JsonTypeInfo> ByManifest = Table.ToDictionary(t => t.Manifest, t => t.Json, StringComparer.Ordinal);

    /// <summary>Created by Akka's serialization extension.</summary>
    public ChatSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    /// <inheritdoc />
    public override int Identifier => SerializerId;

    /// <summary>Every message type, with its manifest.</summary>
    public static IReadOnlyDictionary<Type, string> Manifests => ByType.ToDictionary(kv => kv.Key, kv => kv.Value.Manifest);

    /// <inheritdoc />
    public override string Manifest(object o) => ByType.TryGetValue(o.GetType(), out var entry)
        ? entry.Manifest
        : throw new ArgumentException($"{o.GetType().FullName} is not a chat message", nameof(o));

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, ByType[obj.GetType()].Json);

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!ByManifest.TryGetValue(manifest, out var json)) throw new SerializationException($"unknown chat manifest '{manifest}'");
        try
        {
            return JsonSerializer.Deserialize(bytes, json) ?? throw new SerializationException($"{manifest}: the message is null");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"{manifest}: {e.Message}", e);
        }
    }
}

/// <summary>Source-generated JSON of the chat messages; a missing field is an error, not a null.</summary>
[JsonSourceGenerationOptions(RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(Join))]
[JsonSerializable(typeof(Welcome))]
[JsonSerializable(typeof(JoinRefused))]
[JsonSerializable(typeof(Say))]
[JsonSerializable(typeof(SayRefused))]
[JsonSerializable(typeof(Who))]
[JsonSerializable(typeof(Members))]
[JsonSerializable(typeof(Leave))]
[JsonSerializable(typeof(Ack))]
[JsonSerializable(typeof(Dropped))]
[JsonSerializable(typeof(Said))]
[JsonSerializable(typeof(MemberJoined))]
[JsonSerializable(typeof(MemberLeft))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;

using System.Buffers;
using Google.Protobuf;

namespace ActorTasks.Remote.Serialization;

/// <summary>Writes one Google.Protobuf message type and reads it back with the parser given at registration (serializer id 2).</summary>
internal sealed class ProtobufSerializer<T> : ISerializer where T : IMessage<T>
{
    private readonly MessageParser<T> _parser;

    /// <summary>Creates the serializer for <typeparamref name="T"/>, usually with <c>T.Parser</c>.</summary>
    public ProtobufSerializer(MessageParser<T> parser) => _parser = parser ?? throw new ArgumentNullException(nameof(parser));

    /// <inheritdoc />
    public int Id => SerializerIds.Protobuf;

    /// <inheritdoc />
    public void ToBinary(object message, IBufferWriter<byte> output, SerializationContext context) =>
        ((IMessage)message).WriteTo(output);

    /// <inheritdoc />
    public object FromBinary(ReadOnlySpan<byte> bytes, Type type, SerializationContext context) => _parser.ParseFrom(bytes);
}

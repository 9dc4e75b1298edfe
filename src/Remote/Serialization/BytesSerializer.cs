using System.Buffers;

namespace ActorTasks.Remote.Serialization;

/// <summary>Sends <c>byte[]</c> and <c>ReadOnlyMemory&lt;byte&gt;</c> messages as they are (serializer id 1).</summary>
internal sealed class BytesSerializer : ISerializer
{
    /// <summary>The one instance; the serializer has no state.</summary>
    public static readonly BytesSerializer Instance = new();

    private BytesSerializer() { }

    /// <inheritdoc />
    public int Id => SerializerIds.Bytes;

    /// <inheritdoc />
    public void ToBinary(object message, IBufferWriter<byte> output, SerializationContext context)
    {
        switch (message)
        {
            case byte[] bytes: output.Write(bytes); break;
            case ReadOnlyMemory<byte> memory: output.Write(memory.Span); break;
            default: throw new ArgumentException($"the bytes serializer cannot write {TypeNames.Friendly(message.GetType())}", nameof(message));
        }
    }

    /// <inheritdoc />
    public object FromBinary(ReadOnlySpan<byte> bytes, Type type, SerializationContext context)
    {
        // Always a copy: the span points into the transport's pooled buffer.
        if (type == typeof(byte[])) return bytes.ToArray();
        if (type == typeof(ReadOnlyMemory<byte>)) return new ReadOnlyMemory<byte>(bytes.ToArray());
        throw new ArgumentException($"the bytes serializer cannot read {TypeNames.Friendly(type)}", nameof(type));
    }
}

using System.Buffers;

namespace ActorTasks.Remote.Serialization;

/// <summary>Turns messages of the types registered with it into bytes and back.</summary>
/// <remarks>
/// Implementations are shared between threads and must be stateless or thread-safe. <see cref="FromBinary"/>
/// gets the type the manifest was registered with and must only ever produce that type; it must not keep the
/// span (it points into a pooled network buffer) and may throw on malformed bytes — the caller turns that
/// into a dropped message, never a crash.
/// </remarks>
public interface ISerializer
{
    /// <summary>The id written into envelopes; see <see cref="SerializerIds"/> for the reserved ones.</summary>
    int Id { get; }

    /// <summary>Writes <paramref name="message"/> (an instance of a type registered with this serializer) to <paramref name="output"/>.</summary>
    void ToBinary(object message, IBufferWriter<byte> output, SerializationContext context);

    /// <summary>Reads a message of <paramref name="type"/> (as registered, never a name from the wire) from <paramref name="bytes"/>.</summary>
    object FromBinary(ReadOnlySpan<byte> bytes, Type type, SerializationContext context);
}

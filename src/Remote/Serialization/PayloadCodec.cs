using System.Buffers;
using Google.Protobuf;
using ActorTasks.Remote.Serialization.Proto;

namespace ActorTasks.Remote.Serialization;

/// <summary>Writes and reads one payload through the registry, for the envelope and for messages nested inside messages.</summary>
internal static class PayloadCodec
{
    /// <summary>How deep messages may nest (a Broadcast of an Identify of …); bounds the recursion a hostile frame can cause.</summary>
    public const int MaxNestingDepth = 16;

    [ThreadStatic] private static int t_depth;

    /// <summary>Writes <paramref name="message"/> with the serializer of <paramref name="registration"/>.</summary>
    public static void Write(object message, MessageRegistration registration, IBufferWriter<byte> output, SerializationContext context)
    {
        if (t_depth >= MaxNestingDepth)
            throw new RemoteSerializationException(
                $"cannot send a message of type {TypeNames.Friendly(message.GetType())}: messages nest more than {MaxNestingDepth} deep");
        t_depth++;
        try
        {
            registration.Serializer.ToBinary(message, output, context);
        }
        finally
        {
            t_depth--;
        }
    }

    /// <summary>Reads a payload written under <paramref name="manifest"/>; throws <see cref="PayloadException"/> for anything wrong.</summary>
    public static object Read(int serializerId, string manifest, ReadOnlySpan<byte> bytes, SerializationContext context)
    {
        if (!context.Registry.TryGetByManifest(manifest, out var registration))
            throw new PayloadException(DeserializationFailure.UnknownManifest, manifest,
                $"unknown manifest '{TypeNames.Printable(manifest)}' (serializer {serializerId})");
        var type = registration.Type;
        if (registration.Serializer.Id != serializerId)
            throw new PayloadException(DeserializationFailure.SerializerMismatch, manifest,
                $"manifest '{manifest}' came with serializer {serializerId}, but this node registered it "
                + $"({TypeNames.Friendly(type)}) with serializer {registration.Serializer.Id}");
        if (t_depth >= MaxNestingDepth)
            throw new PayloadException(DeserializationFailure.MalformedPayload, manifest,
                $"message with manifest '{manifest}' nests more than {MaxNestingDepth} deep");
        t_depth++;
        try
        {
            object? result;
            try
            {
                result = registration.Serializer.FromBinary(bytes, type, context);
            }
            catch (PayloadException)
            {
                throw;
            }
            catch (Exception e)
            {
                throw new PayloadException(DeserializationFailure.MalformedPayload, manifest,
                    $"payload of manifest '{manifest}' ({bytes.Length} bytes) could not be read as {TypeNames.Friendly(type)}: "
                    + TypeNames.Printable(e.Message));
            }
            // A serializer may only ever produce the registered type: the wire never chooses a type.
            if (result is null || !type.IsInstanceOfType(result))
                throw new PayloadException(DeserializationFailure.MalformedPayload, manifest,
                    $"serializer {serializerId} produced {(result is null ? "null" : TypeNames.Friendly(result.GetType()))} "
                    + $"for manifest '{manifest}', which is registered as {TypeNames.Friendly(type)}");
            return result;
        }
        finally
        {
            t_depth--;
        }
    }

    /// <summary>A message nested inside a control message, or null for a null message.</summary>
    public static Payload? ToPayload(object? message, SerializationContext context)
    {
        if (message is null) return null;
        var registration = context.Registry.GetByType(message.GetType());
        var buffer = BufferCache.Rent();
        try
        {
            Write(message, registration, buffer, context);
            return new Payload
            {
                SerializerId = registration.Serializer.Id,
                Manifest = registration.Manifest,
                Data = ByteString.CopyFrom(buffer.WrittenSpan),
            };
        }
        finally
        {
            BufferCache.Return(buffer);
        }
    }

    /// <summary>The message nested in <paramref name="payload"/>, or null when there is none.</summary>
    public static object? FromPayload(Payload? payload, SerializationContext context) =>
        payload is null ? null : Read(payload.SerializerId, payload.Manifest, payload.Data.Span, context);
}

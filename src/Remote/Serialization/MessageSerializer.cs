using System.Buffers;
using Google.Protobuf;
using ActorTasks.Actor;
using ActorTasks.Remote.Serialization.Proto;

namespace ActorTasks.Remote.Serialization;

/// <summary>Turns a message with its recipient and sender into the bytes of one frame, and a frame back into a message — safely.</summary>
/// <remarks>
/// Thread-safe. Creating it freezes the registry. Sending fails with an exception (unregistered type, too large,
/// serializer error) before anything is written; receiving never throws: a frame that cannot be read comes back as
/// a <see cref="DeserializationFailure"/> with a one-line reason for the log.
/// </remarks>
public sealed class MessageSerializer
{
    private readonly SerializationContext _context;

    /// <summary>Creates the serializer; frames larger than <paramref name="maximumFrameSize"/> bytes (the envelope, without the transport's length prefix) are refused.</summary>
    public MessageSerializer(SerializerRegistry registry, IActorRefResolver resolver, int maximumFrameSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maximumFrameSize);
        _context = new SerializationContext(registry, resolver);
        registry.Freeze();
        MaximumFrameSize = maximumFrameSize;
    }

    /// <summary>The largest envelope, in bytes, that <c>Serialize</c> produces.</summary>
    public int MaximumFrameSize { get; }

    /// <summary>The (frozen) registry of message types.</summary>
    public SerializerRegistry Registry => _context.Registry;

    /// <summary>The context handed to serializers: registry and actor-ref resolver.</summary>
    public SerializationContext Context => _context;

    /// <summary>The envelope bytes for one frame (without length prefix); <paramref name="seq"/> is for system-message redelivery (0 = none).</summary>
    /// <exception cref="UnregisteredMessageTypeException">The message's type (or a message nested in it) is not registered.</exception>
    /// <exception cref="MessageTooLargeException">The envelope would exceed <see cref="MaximumFrameSize"/>.</exception>
    /// <exception cref="MessageSerializationException">The message's serializer failed.</exception>
    public byte[] Serialize(object message, IActorRef recipient, IActorRef? sender, bool system = false, ulong seq = 0)
    {
        Build(message, recipient, sender, system, seq, output: null, out var bytes);
        return bytes!;
    }

    /// <summary>Writes the envelope bytes for one frame (without length prefix) to <paramref name="output"/> and returns their count; on failure nothing is written.</summary>
    /// <exception cref="UnregisteredMessageTypeException">The message's type (or a message nested in it) is not registered.</exception>
    /// <exception cref="MessageTooLargeException">The envelope would exceed <see cref="MaximumFrameSize"/>.</exception>
    /// <exception cref="MessageSerializationException">The message's serializer failed.</exception>
    public int Serialize(
        object message, IActorRef recipient, IActorRef? sender, IBufferWriter<byte> output, bool system = false, ulong seq = 0)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Build(message, recipient, sender, system, seq, output, out _);
    }

    /// <summary>Reads one frame; false with a reason to log (and drop the frame) when it cannot be read. Never throws.</summary>
    public bool TryDeserialize(ReadOnlyMemory<byte> frame, out DeserializedEnvelope result, out string error) =>
        TryDeserialize(frame, out result, out _, out error);

    /// <summary>Reads one frame; false with the kind of failure and a reason to log when it cannot be read. Never throws.</summary>
    public bool TryDeserialize(
        ReadOnlyMemory<byte> frame, out DeserializedEnvelope result, out DeserializationFailure failure, out string error)
    {
        result = default;
        WireEnvelope envelope;
        try
        {
            envelope = WireEnvelope.Parser.ParseFrom(frame.Span);
        }
        catch (Exception e)
        {
            return Malformed(frame.Length, e, out failure, out error);
        }
        return TryRead(envelope, out result, out failure, out error);
    }

    /// <summary>Reads one frame as the transport hands it over (the bytes are not kept); false with a reason to log when it cannot be read. Never throws.</summary>
    public bool TryDeserialize(ReadOnlySequence<byte> frame, out DeserializedEnvelope result, out string error) =>
        TryDeserialize(frame, out result, out _, out error);

    /// <summary>Reads one frame as the transport hands it over (the bytes are not kept); false with the kind of failure and a reason to log. Never throws.</summary>
    public bool TryDeserialize(
        ReadOnlySequence<byte> frame, out DeserializedEnvelope result, out DeserializationFailure failure, out string error)
    {
        if (frame.IsSingleSegment) return TryDeserialize(frame.First, out result, out failure, out error);
        result = default;
        WireEnvelope envelope;
        try
        {
            envelope = WireEnvelope.Parser.ParseFrom(frame);
        }
        catch (Exception e)
        {
            return Malformed(frame.Length, e, out failure, out error);
        }
        return TryRead(envelope, out result, out failure, out error);
    }

    private bool TryRead(WireEnvelope envelope, out DeserializedEnvelope result, out DeserializationFailure failure, out string error)
    {
        result = default;
        var from = envelope.Sender.Length == 0 ? "an unknown sender" : TypeNames.Printable(envelope.Sender);
        if (envelope.Recipient.Length == 0)
            return Fail(DeserializationFailure.MissingRecipient, $"frame from {from} has no recipient", out failure, out error);

        object message;
        try
        {
            message = PayloadCodec.Read(envelope.SerializerId, envelope.Manifest, envelope.Payload.Span, _context);
        }
        catch (PayloadException e)
        {
            var inside = e.Manifest == envelope.Manifest ? "" : $", inside a message with manifest '{TypeNames.Printable(envelope.Manifest)}',";
            return Fail(e.Failure, $"{e.Message}{inside} from {from}", out failure, out error);
        }
        catch (Exception e)
        {
            return Fail(DeserializationFailure.MalformedPayload,
                $"payload with manifest '{TypeNames.Printable(envelope.Manifest)}' from {from} could not be read: {TypeNames.Printable(e.Message)}",
                out failure, out error);
        }

        IActorRef senderRef;
        try
        {
            senderRef = _context.ResolveRef(envelope.Sender);
        }
        catch (Exception e)
        {
            return Fail(DeserializationFailure.InvalidSender,
                $"sender path '{from}' could not be resolved: {TypeNames.Printable(e.Message)}", out failure, out error);
        }

        result = new DeserializedEnvelope(envelope.Recipient, senderRef, message, envelope.Manifest, envelope.System, envelope.Seq);
        failure = DeserializationFailure.None;
        error = "";
        return true;
    }

    private int Build(
        object message, IActorRef recipient, IActorRef? sender, bool system, ulong seq, IBufferWriter<byte>? output, out byte[]? bytes)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(recipient);
        var registration = _context.Registry.GetByType(message.GetType());
        var payload = BufferCache.Rent();
        try
        {
            string recipientPath, senderPath;
            try
            {
                recipientPath = _context.SerializeRef(recipient);
                senderPath = _context.SerializeRef(sender);
                PayloadCodec.Write(message, registration, payload, _context);
            }
            catch (RemoteSerializationException)
            {
                throw;
            }
            catch (Exception e)
            {
                throw new MessageSerializationException(registration.Type, registration.Manifest, e);
            }
            if (recipientPath.Length == 0)
                throw new ArgumentException($"cannot send to {recipient}: it has no remote path", nameof(recipient));

            // The payload is wrapped, not copied: it is written out below, before the buffer is reused.
            var envelope = new WireEnvelope
            {
                Recipient = recipientPath,
                Sender = senderPath,
                SerializerId = registration.Serializer.Id,
                Manifest = registration.Manifest,
                Payload = UnsafeByteOperations.UnsafeWrap(payload.WrittenMemory),
                System = system,
                Seq = seq,
            };
            var size = envelope.CalculateSize();
            if (size > MaximumFrameSize)
                throw new MessageTooLargeException(registration.Type, registration.Manifest, size, MaximumFrameSize);
            if (output is null)
            {
                bytes = new byte[size];
                envelope.WriteTo(bytes.AsSpan());
            }
            else
            {
                bytes = null;
                envelope.WriteTo(output);
            }
            return size;
        }
        finally
        {
            BufferCache.Return(payload);
        }
    }

    private static bool Malformed(long length, Exception e, out DeserializationFailure failure, out string error) =>
        Fail(DeserializationFailure.MalformedEnvelope,
            $"malformed frame ({length} bytes), not a wire envelope: {TypeNames.Printable(e.Message)}", out failure, out error);

    private static bool Fail(DeserializationFailure kind, string message, out DeserializationFailure failure, out string error)
    {
        failure = kind;
        error = message;
        return false;
    }
}

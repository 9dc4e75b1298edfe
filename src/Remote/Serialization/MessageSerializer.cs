using System.Buffers;
using System.Text;
using ActorTasks.Actor;

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
    private readonly Utf8Interner _strings = new();
    private readonly Utf8Encodings _encodings = new();
    private readonly RefCache _senders = new();

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
        ReadOnlyMemory<byte> frame, out DeserializedEnvelope result, out DeserializationFailure failure, out string error) =>
        TryRead(frame.Span, out result, out failure, out error);

    /// <summary>Reads one frame as the transport hands it over (the bytes are not kept); false with a reason to log when it cannot be read. Never throws.</summary>
    public bool TryDeserialize(ReadOnlySequence<byte> frame, out DeserializedEnvelope result, out string error) =>
        TryDeserialize(frame, out result, out _, out error);

    /// <summary>Reads one frame as the transport hands it over (the bytes are not kept); false with the kind of failure and a reason to log. Never throws.</summary>
    public bool TryDeserialize(
        ReadOnlySequence<byte> frame, out DeserializedEnvelope result, out DeserializationFailure failure, out string error)
    {
        if (frame.IsSingleSegment) return TryRead(frame.FirstSpan, out result, out failure, out error);
        // A frame split across buffers is read from one contiguous copy; nothing read keeps a reference to it.
        var length = (int)Math.Min(frame.Length, int.MaxValue);
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            frame.Slice(0, length).CopyTo(copy);
            return TryRead(copy.AsSpan(0, length), out result, out failure, out error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private bool TryRead(ReadOnlySpan<byte> frame, out DeserializedEnvelope result, out DeserializationFailure failure, out string error)
    {
        result = default;
        EnvelopeFields envelope;
        string recipient, sender, manifest;
        try
        {
            envelope = EnvelopeCodec.Read(frame);
            recipient = _strings.Get(envelope.Recipient);
            sender = _strings.Get(envelope.Sender);
            manifest = _strings.Get(envelope.Manifest);
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            return Malformed(frame.Length, e, out failure, out error);
        }
        if (recipient.Length == 0)
            return Fail(DeserializationFailure.MissingRecipient, $"frame from {From(sender)} has no recipient", out failure, out error);

        object message;
        try
        {
            message = PayloadCodec.Read(envelope.SerializerId, manifest, envelope.Payload, _context);
        }
        catch (PayloadException e)
        {
            var inside = e.Manifest == manifest ? "" : $", inside a message with manifest '{TypeNames.Printable(manifest)}',";
            return Fail(e.Failure, $"{e.Message}{inside} from {From(sender)}", out failure, out error);
        }
        catch (Exception e)
        {
            return Fail(DeserializationFailure.MalformedPayload,
                $"payload with manifest '{TypeNames.Printable(manifest)}' from {From(sender)} could not be read: {TypeNames.Printable(e.Message)}",
                out failure, out error);
        }

        IActorRef senderRef;
        try
        {
            senderRef = ResolveSender(sender);
        }
        catch (Exception e)
        {
            return Fail(DeserializationFailure.InvalidSender,
                $"sender path '{From(sender)}' could not be resolved: {TypeNames.Printable(e.Message)}", out failure, out error);
        }

        result = new DeserializedEnvelope(recipient, senderRef, message, manifest, envelope.System, envelope.Seq);
        failure = DeserializationFailure.None;
        error = "";
        return true;
    }

    /// <summary>Senders on other nodes are cached by path; anything else is resolved each time (it may be local and change).</summary>
    private IActorRef ResolveSender(string path)
    {
        if (path.Length == 0) return Nobody.Instance;
        if (_senders.TryGet(path, out var cached)) return cached;
        var resolved = _context.ResolveRef(path);
        if (resolved is IInternalActorRef { IsLocal: false }) _senders.Add(path, resolved);
        return resolved;
    }

    private static string From(string sender) => sender.Length == 0 ? "an unknown sender" : TypeNames.Printable(sender);

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

            var recipientField = _encodings.Get(recipientPath);
            var senderField = _encodings.Get(senderPath);
            var manifest = _encodings.Get(registration.Manifest);
            var serializerId = registration.Serializer.Id;
            var size = EnvelopeCodec.Size(recipientField.ByteCount, senderField.ByteCount, serializerId, manifest.ByteCount,
                payload.WrittenCount, system, seq);
            if (size > MaximumFrameSize)
                throw new MessageTooLargeException(registration.Type, registration.Manifest, size, MaximumFrameSize);
            if (output is null)
            {
                bytes = new byte[size];
                EnvelopeCodec.Write(bytes, recipientField, senderField, serializerId, manifest, payload.WrittenSpan, system, seq);
            }
            else
            {
                bytes = null;
                EnvelopeCodec.Write(output.GetSpan(size)[..size], recipientField, senderField, serializerId, manifest, payload.WrittenSpan, system, seq);
                output.Advance(size);
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

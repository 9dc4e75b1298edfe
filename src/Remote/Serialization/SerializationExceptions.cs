using ActorTasks.Actor;

namespace ActorTasks.Remote.Serialization;

/// <summary>Base of the errors a sender gets when a message cannot be turned into a frame.</summary>
public class RemoteSerializationException : ActorTasksException
{
    /// <summary>Creates the exception with a message that names the message type.</summary>
    public RemoteSerializationException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A message of a type that was never registered was sent to a remote actor.</summary>
public sealed class UnregisteredMessageTypeException : RemoteSerializationException
{
    /// <summary>Creates the exception for <paramref name="messageType"/>, with registration instructions in the message.</summary>
    public UnregisteredMessageTypeException(Type messageType, string? hint = null)
        : base(BuildMessage(messageType, hint)) => MessageType = messageType;

    /// <summary>The type that is not registered.</summary>
    public Type MessageType { get; }

    private static string BuildMessage(Type type, string? hint)
    {
        var name = TypeNames.Friendly(type);
        var shortName = TypeNames.Friendly(type, qualified: false);
        return $"cannot send a message of type {name} to a remote actor: the type is not registered for remote serialization. "
            + "Register it on every node at startup under a stable manifest name, e.g. "
            + $"registry.RegisterJson<{shortName}>(\"my-app.{TypeNames.Kebab(type.Name)}\", MyJsonContext.Default.{TypeNames.Identifier(type)}) "
            + $"with [JsonSerializable(typeof({shortName}))] on MyJsonContext, "
            + $"or registry.RegisterProtobuf<{shortName}>(\"my-app.{TypeNames.Kebab(type.Name)}\", {shortName}.Parser) for a protobuf message"
            + (hint is null ? "." : $". {hint}");
    }
}

/// <summary>A message whose frame would exceed the maximum frame size.</summary>
public sealed class MessageTooLargeException(Type messageType, string manifest, long size, int maximumFrameSize)
    : RemoteSerializationException(
        $"cannot send a message of type {TypeNames.Friendly(messageType)} (manifest '{manifest}') to a remote actor: "
        + $"its frame is {size} bytes, over the maximum frame size of {maximumFrameSize} bytes")
{
    /// <summary>The type of the message that is too large.</summary>
    public Type MessageType { get; } = messageType;

    /// <summary>The size of the frame the message would need, in bytes.</summary>
    public long Size { get; } = size;

    /// <summary>The configured maximum frame size, in bytes.</summary>
    public int MaximumFrameSize { get; } = maximumFrameSize;
}

/// <summary>A registered serializer failed to write a message (e.g. a JSON cycle, a ref the resolver refused).</summary>
public sealed class MessageSerializationException(Type messageType, string manifest, Exception inner)
    : RemoteSerializationException(
        $"cannot send a message of type {TypeNames.Friendly(messageType)} (manifest '{manifest}') to a remote actor: "
        + $"its serializer failed: {inner.Message}", inner)
{
    /// <summary>The type of the message that could not be written.</summary>
    public Type MessageType { get; } = messageType;
}

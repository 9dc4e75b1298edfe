namespace ActorTasks.Remote.Serialization;

/// <summary>Why a frame could not be turned into a message; the caller logs it once and drops the frame (or closes the connection).</summary>
public enum DeserializationFailure
{
    /// <summary>The frame was read.</summary>
    None,

    /// <summary>The bytes are not a wire envelope (truncated, garbage, wrong protocol).</summary>
    MalformedEnvelope,

    /// <summary>The envelope names no recipient.</summary>
    MissingRecipient,

    /// <summary>No type is registered on this node under the manifest (at the top level or nested inside a message).</summary>
    UnknownManifest,

    /// <summary>The manifest is known, but registered here with a different serializer id than the frame says.</summary>
    SerializerMismatch,

    /// <summary>The serializer of the manifest could not read the payload bytes.</summary>
    MalformedPayload,

    /// <summary>The envelope's sender path could not be resolved (a bad ref inside a message counts as <see cref="MalformedPayload"/>).</summary>
    InvalidSender,
}

namespace ActorTasks.Remote.Transport;

/// <summary>Why <see cref="TcpTransport.TrySend"/> did not accept a frame; the caller dead-letters the message.</summary>
public enum SendFailure
{
    /// <summary>The frame was accepted.</summary>
    None,

    /// <summary>The frame is larger than <c>actortasks.remote.maximum-frame-size</c>; the connection is unaffected.</summary>
    FrameTooLarge,

    /// <summary>The peer's connection was lost or could not be made; sends fail until the reconnect backoff has passed.</summary>
    Unreachable,

    /// <summary>The peer's outbound queue is full (<c>outbound-queue-limit</c> or <c>outbound-queue-byte-limit</c>).</summary>
    QueueFull,

    /// <summary>The transport is not started, or it is shutting down.</summary>
    NotRunning,

    /// <summary>The host or port is not a valid remote address (empty host, port out of range, or this node itself).</summary>
    InvalidAddress,
}

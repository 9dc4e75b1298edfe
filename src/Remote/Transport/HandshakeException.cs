namespace ActorTasks.Remote.Transport;

/// <summary>Why a handshake did not complete: what went wrong, and whether this node or the peer refused.</summary>
internal sealed class HandshakeException(string message, RejectCode code, bool refusedByPeer = false) : Exception(message)
{
    public RejectCode Code { get; } = code;

    /// <summary>True when the peer sent the refusal; false when this node refused or the input was malformed.</summary>
    public bool RefusedByPeer { get; } = refusedByPeer;
}

/// <summary>The reason code of a handshake Reject message (one byte on the wire).</summary>
internal enum RejectCode : byte
{
    Protocol = 1,
    Version = 2,
    Authentication = 3,
    Identity = 4,

    /// <summary>Both nodes dialed each other; the refusing node keeps the connection dialed by the lower node.</summary>
    Duplicate = 5,

    ShuttingDown = 6,
}

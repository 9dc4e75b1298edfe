using System.Buffers;

namespace ActorTasks.Remote.Transport;

/// <summary>
/// Receives what a <see cref="TcpTransport"/> hears from its peers. Every method runs on a transport thread and must
/// return quickly without blocking: a slow <see cref="OnFrame"/> stalls that connection's reader.
/// </summary>
/// <remarks>
/// For one peer address, the association events (<see cref="OnAssociated"/>, <see cref="OnDisassociated"/>,
/// <see cref="OnPeerRestarted"/>, <see cref="OnAssociationFailed"/>) are never called concurrently and arrive in the
/// order they happened. Frames of one connection arrive one at a time, in the order they were sent, after
/// <see cref="OnAssociated"/> and before the matching <see cref="OnDisassociated"/>.
/// </remarks>
public interface IFrameHandler
{
    /// <summary>A connection to <paramref name="peer"/> passed the handshake; its frames follow.</summary>
    void OnAssociated(NodeIdentity peer);

    /// <summary>
    /// One frame from <paramref name="from"/>. The payload points into the connection's read buffer and is valid only
    /// until this method returns: copy what must outlive the call. Throwing closes the connection as malformed input
    /// (the exception's message goes into the one log line).
    /// </summary>
    void OnFrame(NodeIdentity from, ReadOnlySequence<byte> payload);

    /// <summary>The connection to <paramref name="peer"/> ended; frames queued for it were dropped.</summary>
    void OnDisassociated(NodeIdentity peer, string reason);

    /// <summary>The node at <paramref name="previous"/>'s address now runs a new incarnation (another uid).</summary>
    void OnPeerRestarted(NodeIdentity previous, NodeIdentity current);

    /// <summary>A connection to <paramref name="host"/>:<paramref name="port"/> could not be made; frames queued for it were dropped.</summary>
    void OnAssociationFailed(string host, int port, string reason);
}

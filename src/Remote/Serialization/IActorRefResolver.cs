using ActorTasks.Actor;

namespace ActorTasks.Remote.Serialization;

/// <summary>Converts actor refs to the strings that cross the wire and back into working refs (implemented by the remote provider).</summary>
/// <remarks>
/// <see cref="Serialize"/> gives a full path with address and uid (local refs get this node's address);
/// <see cref="Nobody"/> becomes "". <see cref="Resolve"/> turns "" into <see cref="Nobody"/> and a remote path into
/// a ref that sends over the network. Both are called concurrently from many threads, and
/// <see cref="Resolve"/> sees untrusted text: it may throw on a malformed path.
/// </remarks>
public interface IActorRefResolver
{
    /// <summary>The wire form of <paramref name="actorRef"/>: its full path with address and uid, or "" for Nobody.</summary>
    string Serialize(IActorRef actorRef);

    /// <summary>A working ref for a wire path; "" gives Nobody.</summary>
    IActorRef Resolve(string path);
}

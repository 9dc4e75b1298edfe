using ActorTasks.Actor;

namespace ActorTasks.Remote.Serialization;

/// <summary>
/// An exception that happened on another node (e.g. the cause of a <see cref="Status.Failure"/>), known only by its
/// type name and message: the original type is never recreated from a name received over the network.
/// </summary>
public sealed class RemoteException(string originalTypeName, string message) : ActorTasksException(message)
{
    /// <summary>The full name of the exception type on the node where it was thrown.</summary>
    public string OriginalTypeName { get; } = originalTypeName;

    /// <summary>Shows the original type name first, as a local exception would.</summary>
    public override string ToString() => $"{OriginalTypeName} (on a remote node): {Message}";
}

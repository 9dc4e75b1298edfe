namespace ActorTasks.Messages;

/// <summary>
/// Marks a message that may cross nodes. Akka binds this interface to <see cref="Serialization.TaskSystemSerializer"/>
/// (<c>akka.actor.serialization-bindings</c> in hocon/actortasks.conf), so no message of the task system ever falls
/// back to Akka's JSON serializer, which would take .NET type names from the wire.
/// </summary>
public interface ITaskSystemMessage;

using ActorTasks.Actor;

namespace ActorTasks.Remote.Serialization;

/// <summary>A message read from one frame, ready to be delivered to <see cref="Recipient"/>.</summary>
/// <param name="Recipient">The recipient's full path with uid, as the sender wrote it (not yet resolved).</param>
/// <param name="Sender">A working ref for the sender; <see cref="Nobody"/> when the message has none.</param>
/// <param name="Message">The message, always an instance of a registered type.</param>
/// <param name="Manifest">The manifest the message was registered under, for logs.</param>
/// <param name="IsSystem">True for runtime system messages (watch, unwatch, death-watch notifications).</param>
/// <param name="Seq">The envelope's sequence number; 0 when unused.</param>
public readonly record struct DeserializedEnvelope(
    string Recipient, IActorRef Sender, object Message, string Manifest, bool IsSystem, ulong Seq);

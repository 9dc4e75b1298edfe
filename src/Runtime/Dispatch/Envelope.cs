using ActorTasks.Actor;

namespace ActorTasks.Dispatch;

/// <summary>A user message and its sender, stored by value in the mailbox queue (no allocation per message).</summary>
public readonly record struct Envelope(object Message, IActorRef Sender);

namespace ActorTasks.Remote.Serialization;

/// <summary>One registered message type: the exact type, its stable manifest name, and the serializer that writes it.</summary>
public sealed record MessageRegistration(Type Type, string Manifest, ISerializer Serializer);

namespace ActorTasks.Remote.Serialization;

/// <summary>The serializer ids written into every envelope; 1–99 are reserved for ActorTasks, user serializers start at 100.</summary>
public static class SerializerIds
{
    /// <summary>Raw bytes: <c>byte[]</c> and <c>ReadOnlyMemory&lt;byte&gt;</c> payloads.</summary>
    public const int Bytes = 1;

    /// <summary>Google.Protobuf messages, parsed with the parser given at registration.</summary>
    public const int Protobuf = 2;

    /// <summary>System.Text.Json, source-generated or reflection-based.</summary>
    public const int Json = 3;

    /// <summary>The runtime's own messages and primitives (PoisonPill, Identify, Terminated, string, int…).</summary>
    public const int BuiltIn = 4;

    /// <summary>The smallest id a user serializer may have.</summary>
    public const int FirstUserId = 100;
}

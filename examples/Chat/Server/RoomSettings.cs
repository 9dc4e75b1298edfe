namespace ActorTasks.Examples.Chat.Server;

/// <summary>
/// The room's limits: the longest line, how many events a member may have on the way unacknowledged, and how many more
/// may wait for it before it is dropped for falling behind.
/// </summary>
public sealed record RoomSettings(int MaxLineLength = 1000, int Window = 64, int MaxBehind = 1000)
{
    /// <summary>The longest nickname.</summary>
    public const int MaxNickLength = 32;

    public static readonly RoomSettings Default = new();
}

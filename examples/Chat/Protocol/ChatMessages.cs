namespace ActorTasks.Examples.Chat.Protocol;

/// <summary>Every message that crosses between a chat client and the room: bound to <see cref="ChatSerializer"/>, never to a serializer that reads type names from the wire.</summary>
public interface IChatMessage;

/// <summary>Something that happened in the room, numbered per member in the order it is delivered to that member.</summary>
public interface IRoomEvent : IChatMessage
{
    /// <summary>The member's delivery number, from 1; the client acknowledges it once shown (<see cref="Ack"/>).</summary>
    long Seq { get; }
}

/// <summary>A client asks to join under <paramref name="Nick"/>: answered with <see cref="Welcome"/> or <see cref="JoinRefused"/>.</summary>
public sealed record Join(string Nick) : IChatMessage;

/// <summary>The client is in the room as <paramref name="Nick"/>; <paramref name="Members"/> are everyone there, it included.</summary>
public sealed record Welcome(string Nick, IReadOnlyList<string> Members, int MaxLineLength) : IChatMessage;

/// <summary>The join was refused; <paramref name="Reason"/> says why (a taken or malformed nickname).</summary>
public sealed record JoinRefused(string Nick, string Reason) : IChatMessage;

/// <summary>A member says a line; <paramref name="Line"/> numbers the member's lines from 1.</summary>
public sealed record Say(long Line, string Text) : IChatMessage;

/// <summary>The line was not said; <paramref name="Reason"/> says why (too long, control characters, not in the room).</summary>
public sealed record SayRefused(long Line, string Reason) : IChatMessage;

/// <summary>Asks who is in the room: answered with <see cref="Members"/>.</summary>
public sealed record Who : IChatMessage
{
    public static readonly Who Instance = new();
}

/// <summary>Everyone in the room, by nickname.</summary>
public sealed record Members(IReadOnlyList<string> Nicks) : IChatMessage;

/// <summary>The member leaves the room.</summary>
public sealed record Leave : IChatMessage
{
    public static readonly Leave Instance = new();
}

/// <summary>The client has shown every event up to <paramref name="UpTo"/>: the room may send it more.</summary>
public sealed record Ack(long UpTo) : IChatMessage;

/// <summary>The room put the client out: it fell too far behind. Nothing more comes.</summary>
public sealed record Dropped(string Reason) : IChatMessage;

/// <summary><paramref name="Nick"/> said line <paramref name="Line"/> of theirs.</summary>
public sealed record Said(long Seq, string Nick, long Line, string Text) : IRoomEvent;

/// <summary><paramref name="Nick"/> joined the room.</summary>
public sealed record MemberJoined(long Seq, string Nick) : IRoomEvent;

/// <summary><paramref name="Nick"/> is gone: <paramref name="Reason"/> is <c>quit</c>, <c>disconnected</c> (its process or network went: death watch), or <c>dropped: …</c> for falling behind.</summary>
public sealed record MemberLeft(long Seq, string Nick, string Reason) : IRoomEvent;

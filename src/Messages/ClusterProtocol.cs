namespace ActorTasks.Messages;

/// <summary>Asks a cluster member for a <see cref="MembersReport"/>: the cluster's members as that member sees them.</summary>
public sealed record GetMembers : ITaskSystemMessage
{
    /// <summary>The one instance (the message has no fields).</summary>
    public static readonly GetMembers Instance = new();
}

/// <summary>
/// The cluster's members as <paramref name="ReportedBy"/> (the answering member's address) sees them, and the leader
/// (null while there is none).
/// </summary>
public sealed record MembersReport(string ReportedBy, IReadOnlyList<ClusterMember> Members, string? Leader) : ITaskSystemMessage;

/// <summary>
/// One member: its address, roles, Akka membership status (<c>Up</c>, <c>Leaving</c>, ...), whether the reporting member
/// reaches it, and when the reporting member first saw it Up (null when it was Up before the reporter joined).
/// </summary>
public sealed record ClusterMember(string Address, IReadOnlyList<string> Roles, string Status, bool Reachable, DateTimeOffset? UpSince);

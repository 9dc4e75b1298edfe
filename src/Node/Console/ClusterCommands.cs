using System.Globalization;
using Akka.Actor;
using ActorTasks.Messages;
using Spectre.Console;

namespace ActorTasks.Node.Console;

/// <summary>
/// The cluster commands: <c>nodes</c> (address, roles, status, uptime, leader), asked of a member's
/// <c>/user/members</c>, and on a member's own console <c>leave</c>.
/// </summary>
/// <param name="members">Who answers <see cref="GetMembers"/>: this member's, or the seed's for a client.</param>
/// <param name="self">This node's address, marked "(this node)" in the table; null for a client, which is no member.</param>
/// <param name="stop">Cancelled by <c>leave</c> (the node then leaves through coordinated shutdown); null: no <c>leave</c>.</param>
public sealed class ClusterCommands(IActorRef members, TimeSpan askTimeout, string? self = null, CancellationTokenSource? stop = null)
{
    public IEnumerable<ConsoleCommand> All => stop is null
        ? [Nodes]
        : [Nodes, new("leave", "leave", "leave the cluster gracefully and stop this node", LeaveAsync)];

    private ConsoleCommand Nodes => new("nodes", "nodes", "the cluster's members: address, roles, status, uptime",
        (_, context) => NodesAsync(context.Output, json: false, context.CancellationToken));

    /// <summary>Writes the members as a table (or with <paramref name="json"/> the <see cref="MembersReport"/>); returns the exit code, 0.</summary>
    public async Task<int> NodesAsync(TextWriter output, bool json, CancellationToken cancellationToken)
    {
        var report = await members.Ask<MembersReport>(GetMembers.Instance, askTimeout, cancellationToken);
        if (json)
        {
            await ConsoleOutput.WriteJsonAsync(output, report);
            return 0;
        }
        var table = new Table().AddColumns("address", "roles", "status", "up for");
        foreach (var member in report.Members)
        {
            var status = member.Reachable ? member.Status : $"{member.Status} (unreachable)";
            var mark = member.Address == self ? " (this node)" : "";
            var upFor = member.UpSince is { } since ? Format(DateTimeOffset.UtcNow - since) : "-";
            table.AddRow(Markup.Escape(member.Address + mark), Markup.Escape(string.Join(",", member.Roles)), Markup.Escape(status), upFor);
        }
        ConsoleOutput.Write(output, table);
        await output.WriteLineAsync($"leader: {report.Leader ?? "none"}");
        return 0;
    }

    private async Task LeaveAsync(IReadOnlyList<string> words, ConsoleContext context)
    {
        await context.Output.WriteLineAsync("leaving the cluster ...");
        await stop!.CancelAsync();
    }

    internal static string Format(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h {t.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m {t.Seconds:00}s");
}

using System.Globalization;
using ActorTasks.Actor;
using ActorTasks.Cluster.Events;
using ActorTasks.Cluster.Membership;
using Spectre.Console;

namespace ActorTasks.Node.Console;

/// <summary>The console's cluster commands: <c>nodes</c> (address, roles, status, uptime) and <c>leave</c>.</summary>
public sealed class ClusterCommands
{
    private readonly ActorTasks.Cluster.Cluster _cluster;
    private readonly IActorRef _uptimes;
    private readonly CancellationTokenSource _stop;

    /// <summary>Creates the commands; <paramref name="stop"/> is cancelled by <c>leave</c> once this node is out.</summary>
    public ClusterCommands(ActorTasks.Cluster.Cluster cluster, CancellationTokenSource stop)
    {
        _cluster = cluster;
        _stop = stop;
        _uptimes = cluster.System.ActorOf(Props.CreateBy(() => new MemberUptimes(cluster)), "member-uptimes");
    }

    public IEnumerable<ConsoleCommand> All =>
    [
        new("nodes", "nodes", "the cluster's members: address, roles, status, uptime", NodesAsync),
        new("leave", "leave", "leave the cluster gracefully and stop this node", LeaveAsync),
    ];

    private async Task NodesAsync(IReadOnlyList<string> words, ConsoleContext context)
    {
        var state = _cluster.State;
        var since = await _uptimes.Ask<IReadOnlyDictionary<UniqueAddress, DateTimeOffset>>(GetUptimes.Instance, TimeSpan.FromSeconds(5), context.CancellationToken);
        var table = new Table().AddColumns("address", "roles", "status", "up for");
        foreach (var member in state.Members)
        {
            var status = state.Unreachable.Contains(member) ? $"{member.Status} (unreachable)" : member.Status.ToString();
            var self = member.Node.Equals(_cluster.SelfUniqueAddress) ? " (this node)" : "";
            var upFor = since.TryGetValue(member.Node, out var t) ? Format(DateTimeOffset.UtcNow - t) : "-";
            table.AddRow(Markup.Escape(member.Node.Address + self), Markup.Escape(string.Join(",", member.Roles.Order(StringComparer.Ordinal))), status, upFor);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Write(table);
        await context.Output.WriteLineAsync($"leader: {state.Leader?.ToString() ?? "none"}");
    }

    private async Task LeaveAsync(IReadOnlyList<string> words, ConsoleContext context)
    {
        await context.Output.WriteLineAsync($"leaving the cluster ({_cluster.SelfAddress}) ...");
        var left = await _cluster.LeaveAsync(TimeSpan.FromSeconds(15));
        await context.Output.WriteLineAsync(left ? "left the cluster" : "no answer from the cluster within 15 s; stopping anyway");
        await _stop.CancelAsync();
    }

    internal static string Format(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h {t.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m {t.Seconds:00}s");

    private sealed record GetUptimes
    {
        public static readonly GetUptimes Instance = new();
    }

    /// <summary>Remembers when this node first saw each member Up (members carry no clock of their own).</summary>
    private sealed class MemberUptimes : ReceiveActor
    {
        private readonly Dictionary<UniqueAddress, DateTimeOffset> _since = [];

        public MemberUptimes(ActorTasks.Cluster.Cluster cluster)
        {
            Receive<CurrentClusterState>(s =>
            {
                foreach (var m in s.Members.Where(m => m.Status == MemberStatus.Up)) _since.TryAdd(m.Node, DateTimeOffset.UtcNow);
            });
            Receive<MemberUp>(e => _since.TryAdd(e.Member.Node, DateTimeOffset.UtcNow));
            Receive<MemberRemoved>(e => _since.Remove(e.Member.Node));
            Receive<GetUptimes>(_ => Sender.Tell(new Dictionary<UniqueAddress, DateTimeOffset>(_since), Self));
            cluster.Subscribe(Self, typeof(MemberUp), typeof(MemberRemoved));
        }
    }
}

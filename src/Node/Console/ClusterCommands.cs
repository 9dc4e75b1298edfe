using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Spectre.Console;

namespace ActorTasks.Node.Console;

/// <summary>The console's cluster commands: <c>nodes</c> (address, roles, status, uptime, leader) and <c>leave</c>.</summary>
public sealed class ClusterCommands
{
    private readonly Cluster _cluster;
    private readonly IActorRef _uptimes;
    private readonly CancellationTokenSource _stop;

    /// <summary>Creates the commands; <c>leave</c> cancels <paramref name="stop"/>, and the node then leaves through coordinated shutdown.</summary>
    public ClusterCommands(Cluster cluster, CancellationTokenSource stop)
    {
        _cluster = cluster;
        _stop = stop;
        _uptimes = cluster.System.ActorOf(Props.Create(() => new MemberUptimes()), "member-uptimes");
    }

    public IEnumerable<ConsoleCommand> All =>
    [
        new("nodes", "nodes", "the cluster's members: address, roles, status, uptime", NodesAsync),
        new("leave", "leave", "leave the cluster gracefully and stop this node", LeaveAsync),
    ];

    private async Task NodesAsync(IReadOnlyList<string> words, ConsoleContext context)
    {
        var state = _cluster.State;
        var since = await _uptimes.Ask<Uptimes>(GetUptimes.Instance, TimeSpan.FromSeconds(5), context.CancellationToken);
        var table = new Table().AddColumns("address", "roles", "status", "up for");
        foreach (var member in state.Members)
        {
            var status = state.Unreachable.Contains(member) ? $"{member.Status} (unreachable)" : member.Status.ToString();
            var self = member.UniqueAddress.Equals(_cluster.SelfUniqueAddress) ? " (this node)" : "";
            var upFor = since.Since.TryGetValue(member.UniqueAddress, out var t) ? Format(DateTimeOffset.UtcNow - t) : "-";
            table.AddRow(Markup.Escape(member.Address + self), Markup.Escape(string.Join(",", member.Roles.Order(StringComparer.Ordinal))), status, upFor);
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
        await _stop.CancelAsync();
    }

    internal static string Format(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h {t.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m {t.Seconds:00}s");

    private sealed record GetUptimes : INoSerializationVerificationNeeded
    {
        public static readonly GetUptimes Instance = new();
    }

    private sealed record Uptimes(IReadOnlyDictionary<UniqueAddress, DateTimeOffset> Since) : INoSerializationVerificationNeeded;

    /// <summary>Remembers when this node first saw each member Up (members carry no clock of their own).</summary>
    private sealed class MemberUptimes : ReceiveActor
    {
        private readonly Dictionary<UniqueAddress, DateTimeOffset> _since = [];

        public MemberUptimes()
        {
            Receive<ClusterEvent.MemberUp>(e => _since.TryAdd(e.Member.UniqueAddress, DateTimeOffset.UtcNow));
            Receive<ClusterEvent.MemberRemoved>(e => _since.Remove(e.Member.UniqueAddress));
            Receive<ClusterEvent.IMemberEvent>(_ => { });
            Receive<GetUptimes>(_ => Sender.Tell(new Uptimes(new Dictionary<UniqueAddress, DateTimeOffset>(_since)), Self));
        }

        protected override void PreStart() =>
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

        protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
    }
}

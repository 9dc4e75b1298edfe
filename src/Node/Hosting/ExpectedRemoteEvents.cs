using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Cluster;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace ActorTasks.Node.Hosting;

/// <summary>
/// What this member knows of a peer at the moment: whether the cluster already counts it as gone (a client that is no
/// member, a member removed, or one already reported unreachable), once this node is Up in a cluster. Read from
/// Akka.Cluster's published state, which is an immutable snapshot; before the actor system exists, while this node is
/// still joining, and on a client, no peer is known to be gone.
/// </summary>
internal sealed class ClusterPeers
{
    private volatile ActorSystem? _system;

    /// <summary>From now on, <see cref="IsGone"/> answers from <paramref name="system"/>'s cluster state.</summary>
    public void Attach(ActorSystem system) => _system = system;

    /// <summary>Whether <paramref name="address"/> (e.g. <c>akka.tcp://tasks@127.0.0.1:4053</c>) is nobody this member still expects to talk to.</summary>
    public bool IsGone(string address)
    {
        if (_system is not { } system || system.WhenTerminated.IsCompleted) return false;
        if (((ExtendedActorSystem)system).Provider is not Akka.Cluster.ClusterActorRefProvider) return false;
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        // A node still joining (or one that never joined) counts nobody as gone: the seed it dials is no member of
        // anything it knows yet, and why it cannot reach it (another TLS setting, a wrong port) must stay a warning.
        if (cluster.SelfMember.Status is not (MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving or MemberStatus.Exiting)) return false;
        var member = state.Members.FirstOrDefault(m => m.Address.ToString() == address);
        return member is null || state.Unreachable.Contains(member);
    }
}

/// <summary>
/// Lowers to DEBUG what Akka.Remote repeats at WARNING and ERROR about a peer the cluster already counts as gone: the
/// connection attempts to a member already marked unreachable or removed (the cluster's own "Marking node(s) as
/// UNREACHABLE" and the downing decision said it), and to a CLI client that has exited before an answer reached it.
/// The first failed association with a member still thought alive stays a warning: it is the first sign it died.
/// Everything else passes as it is; the events still reach the log file at DEBUG when the node logs at that level.
/// </summary>
/// <remarks>
/// Also: DotNetty's ERROR with a stack trace for every frame it cannot decode ("Error caught channel [[local]->[remote]]
/// (Id=…)": bytes that are no Akka.Remote frame, often two per connection) becomes one WARNING per connection naming
/// the sender and why its bytes were refused; the repeats and the original event with its stack trace are DEBUG.
/// </remarks>
internal sealed partial class ExpectedRemoteEvents(ILogger next, ClusterPeers peers) : ILogEventSink, IDisposable
{
    // Connections already warned about, by DotNetty's channel id; cleared when it grows past a few hundred (a repeat
    // after that is one more warning, not a leak).
    private const int ConnectionsRemembered = 256;
    private readonly ConcurrentDictionary<string, byte> _refused = new(StringComparer.Ordinal);

    // `next` is written to as a logger, not as a sink: a logger's Write drops an event below its minimum level (a demoted
    // one, when the node logs at INFO), where a sink's Emit would pass it on.
    public void Emit(LogEvent logEvent)
    {
        if (RefusedBytes(logEvent) is { } refused)
        {
            if (_refused.Count >= ConnectionsRemembered) _refused.Clear();
            if (_refused.TryAdd(refused.Channel, 0)) next.Write(refused.Warning);
            next.Write(Demoted(logEvent));
            return;
        }
        next.Write(IsExpected(logEvent, peers.IsGone) ? Demoted(logEvent) : logEvent);
    }

    /// <summary>
    /// For DotNetty's error about bytes it could not decode as a frame: the connection's channel id and the warning that
    /// says it in one line; null for every other event.
    /// </summary>
    internal static (string Channel, LogEvent Warning)? RefusedBytes(LogEvent e)
    {
        if (e.Level < LogEventLevel.Warning || e.Exception?.GetType().Namespace is not "DotNetty.Codecs") return null;
        // Akka logs it with the addresses and the id as template arguments, which render in quotes.
        var match = CaughtChannel().Match(e.RenderMessage().Replace("\"", "", StringComparison.Ordinal));
        if (!match.Success) return null;
        var warning = new LogEvent(e.Timestamp, LogEventLevel.Warning, null, RefusedTemplate,
        [
            .. e.Properties.Where(p => p.Key == Serilog.Core.Constants.SourceContextPropertyName).Select(p => new LogEventProperty(p.Key, p.Value)),
            new LogEventProperty("Sender", new ScalarValue(Endpoint(match.Groups["remote"].Value))),
            new LogEventProperty("Listener", new ScalarValue(Endpoint(match.Groups["local"].Value))),
            new LogEventProperty("Reason", new ScalarValue(e.Exception!.Message)),
        ]);
        return (match.Groups["id"].Value, warning);
    }

    private static readonly Serilog.Parsing.MessageTemplateParser Parser = new();

    private static readonly MessageTemplate RefusedTemplate = Parser.Parse(
        "Refused bytes from {Sender} at {Listener}: they are no Akka.Remote frame ({Reason}); nothing of them was read as a message");

    /// <summary>"[::ffff:127.0.0.1]:4053" as "127.0.0.1:4053".</summary>
    private static string Endpoint(string dotNetty) => dotNetty.Replace("[::ffff:", "", StringComparison.Ordinal).Replace("]:", ":", StringComparison.Ordinal).TrimStart('[');

    /// <summary>Whether <paramref name="e"/> is a repeat of what is known about a gone peer (<paramref name="isGone"/>).</summary>
    internal static bool IsExpected(LogEvent e, Func<string, bool> isGone)
    {
        if (e.Level is < LogEventLevel.Warning or > LogEventLevel.Error) return false;
        // Akka's supervisor logs the writer's end with the stack trace, at ERROR, right after the warning that says the
        // same ("Association with remote system ... has failed ... Disassociated").
        if (e.Exception?.GetType().FullName == "Akka.Remote.EndpointDisassociatedException") return e.Level == LogEventLevel.Error;
        var text = e.MessageTemplate.Text;
        if (!PeerEvent().IsMatch(text)) return false;
        // The peer is the address after "->" in "AssociationError [self] -> peer", the first one in every other event.
        var addresses = AddressPattern().Matches(e.RenderMessage());
        var peer = text.StartsWith("AssociationError", StringComparison.Ordinal) ? addresses.ElementAtOrDefault(1) : addresses.FirstOrDefault();
        return peer is not null && isGone(peer.Value);
    }

    private static LogEvent Demoted(LogEvent e) =>
        new(e.Timestamp, LogEventLevel.Debug, e.Exception, e.MessageTemplate, e.Properties.Select(p => new LogEventProperty(p.Key, p.Value)));

    public void Dispose() => (next as IDisposable)?.Dispose();

    // Akka.Remote's events about one peer's connection: the writer's, the endpoint manager's and the supervisor's.
    [GeneratedRegex(@"^(AssociationError \[|Tried to associate with unreachable remote address|Association with remote system|Association to \[.*irrecoverably failed)")]
    private static partial Regex PeerEvent();

    // DotNetty's "Error caught channel [[::ffff:127.0.0.1]:4053->[::ffff:127.0.0.1]:56970](Id=4e6f30fb)".
    [GeneratedRegex(@"^Error caught channel \[(?<local>\S+?)->(?<remote>\S+?)\]\(Id=(?<id>\w+)\)")]
    private static partial Regex CaughtChannel();

    [GeneratedRegex(@"akka(\.ssl)?(\.tcp)?://[\w.-]+@[\w.-]+:\d+")]
    private static partial Regex AddressPattern();

    /// <summary>A logger that sends every event through <see cref="ExpectedRemoteEvents"/> into <paramref name="inner"/>.</summary>
    public static Logger Wrap(Logger inner, LogEventLevel minimum, ClusterPeers peers) =>
        new LoggerConfiguration().MinimumLevel.Is(minimum).WriteTo.Sink(new ExpectedRemoteEvents(inner, peers)).CreateLogger();
}

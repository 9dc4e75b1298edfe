using System.Text.Json.Serialization;
using ActorTasks.Actor;
using ActorTasks.Remote.Serialization;

namespace ActorTasks.Remote.TestHost;

/// <summary>Asks the <c>relay</c> actor to send <paramref name="Text"/>, upper-cased, to <paramref name="ReplyTo"/>: a ref inside a message.</summary>
public sealed record Relay(string Text, IActorRef ReplyTo);

[JsonSerializable(typeof(Relay))]
internal sealed partial class HostJson : JsonSerializerContext;

/// <summary>
/// What the test host and the tests that drive it agree on: the message registry, the actors it hosts, and the lines
/// it prints. Each line on standard output is one event, its first word saying which.
/// </summary>
public static class HostProtocol
{
    /// <summary>The first line: <c>READY actortasks://system@127.0.0.1:port</c>.</summary>
    public const string Ready = "READY";

    /// <summary><c>GOT blackhole &lt;message&gt;</c>: the blackhole actor received a message (and will never answer it).</summary>
    public const string Got = "GOT";

    /// <summary><c>STOPPED &lt;name&gt;</c>: the actor /user/&lt;name&gt; has stopped.</summary>
    public const string Stopped = "STOPPED";

    /// <summary><c>ERROR &lt;text&gt;</c>: a command on standard input was not understood.</summary>
    public const string Error = "ERROR";

    /// <summary>Replies to every message with the same message.</summary>
    public const string Echo = "echo";

    /// <summary>Stops itself when it receives "stop".</summary>
    public const string Stopper = "stopper";

    /// <summary>Adds up the ints it receives; answers "get" with the sum.</summary>
    public const string Counter = "counter";

    /// <summary>Answers a <see cref="Relay"/> by sending its text, upper-cased, to the ref inside it.</summary>
    public const string RelayActor = "relay";

    /// <summary>On an int n: prints a <see cref="Got"/> line, keeps its thread busy n ms, then answers "spun".</summary>
    public const string Spinner = "spinner";

    /// <summary>Swallows every message, printing a <see cref="Got"/> line for each.</summary>
    public const string Blackhole = "blackhole";

    /// <summary>The registry both the host and the tests use: the built-ins and <see cref="Relay"/>.</summary>
    public static SerializerRegistry Registry() =>
        SerializerRegistry.CreateDefault().RegisterJson("testhost.relay", HostJson.Default.Relay);
}

using ActorTasks.Examples.Chat.Protocol;
using ActorTasks.Examples.Chat.Server;
using Akka.Actor;

namespace ActorTasks.Examples.Chat.Client;

/// <summary>What the user typed: a line to say, or a command (<c>/who</c>, <c>/quit</c>).</summary>
public sealed record Input(string Line) : INoSerializationVerificationNeeded;

/// <summary>
/// One user in the room: finds the room at its address, joins under a nickname, says what the user types, and shows
/// what happens in the room. Ends with an exit code: 0 after /quit, 1 when the server cannot be reached, goes away or
/// drops it, 2 when the join is refused.
/// </summary>
public sealed class ChatClient : ReceiveActor, IWithTimers
{
    // A busy server or network can take a while to answer; the first Identify may be lost while the connection is made.
    private static readonly TimeSpan FindTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan AskAgainEvery = TimeSpan.FromSeconds(1);

    private readonly ActorSelection _roomSelection;
    private readonly string _nick;
    private readonly Terminal _terminal;
    private readonly TaskCompletionSource<int> _exit;
    private IActorRef? _room;
    private int _maxLineLength;
    private long _lines;
    private bool _ending;
    private bool _quitWhenJoined;

    public ChatClient(ActorSelection room, string nick, TextWriter output, TaskCompletionSource<int> exit)
    {
        _roomSelection = room;
        _nick = nick;
        _exit = exit;
        var self = Self;
        _terminal = new Terminal(output, seq => _room?.Tell(new Ack(seq), self));

        Receive<ActorIdentity>(OnIdentity);
        Receive<FindTimedOut>(_ => End(1, $"no chat server answers at {_roomSelection.Anchor.Path.Address}"));
        Receive<AskAgain>(_ => _roomSelection.Tell(new Identify(null), Self));
        Receive<Welcome>(w =>
        {
            _maxLineLength = w.MaxLineLength;
            _terminal.Write($"* you joined as {w.Nick}; in the room: {string.Join(", ", w.Members.Select(ChatRules.Shown))}");
            _terminal.Write("* type a line to say it; /who lists the room, /quit leaves");
            if (_quitWhenJoined) Self.Tell(new Input("/quit"));
        });
        Receive<JoinRefused>(r => End(2, $"cannot join: {ChatRules.Shown(r.Reason)}"));
        Receive<Said>(s => _terminal.Write($"<{ChatRules.Shown(s.Nick)}> {ChatRules.Shown(s.Text)}", s.Seq));
        Receive<MemberJoined>(j => _terminal.Write($"* {ChatRules.Shown(j.Nick)} joined", j.Seq));
        Receive<MemberLeft>(l => _terminal.Write($"* {ChatRules.Shown(l.Nick)} left ({ChatRules.Shown(l.Reason)})", l.Seq));
        Receive<Members>(m => _terminal.Write($"* in the room: {string.Join(", ", m.Nicks.Select(ChatRules.Shown))}"));
        Receive<SayRefused>(r => _terminal.Write($"* line {r.Line} was not said: {ChatRules.Shown(r.Reason)}"));
        Receive<Dropped>(d => End(1, $"* {ChatRules.Shown(d.Reason)}"));
        Receive<Input>(OnInput);
        Receive<Terminated>(t => t.ActorRef.Equals(_room), _ => End(1, "* the chat server is gone"));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ActorSelection room, string nick, TextWriter output, TaskCompletionSource<int> exit) =>
        Akka.Actor.Props.Create(() => new ChatClient(room, nick, output, exit));

    protected override void PreStart()
    {
        _roomSelection.Tell(new Identify(null), Self);
        Timers.StartPeriodicTimer("ask-again", AskAgain.Instance, AskAgainEvery);
        Timers.StartSingleTimer("find", FindTimedOut.Instance, FindTimeout);
    }

    protected override void PostStop()
    {
        if (_ending) return;
        // Stopped from outside (the process is shutting down): whatever was shown, the session did not end by choice.
        _terminal.Close();
        _terminal.Completion.ContinueWith(_ => _exit.TrySetResult(1), TaskScheduler.Default);
    }

    private void OnIdentity(ActorIdentity identity)
    {
        // The room answered an earlier Identify already.
        if (_room is not null) return;
        // No subject: nothing listens there (the message went to dead letters, which answer for it), or no room does.
        if (identity.Subject is not { } room)
        {
            End(1, $"no chat server answers at {_roomSelection.Anchor.Path.Address}");
            return;
        }
        Timers.CancelAll();
        _room = room;
        Context.Watch(room);
        room.Tell(new Join(_nick), Self);
    }

    private void OnInput(Input input)
    {
        var line = input.Line;
        if (_room is null || _maxLineLength == 0)
        {
            // Not in the room yet: a /quit (or the end of input) takes effect once the room has answered.
            if (line.Trim() == "/quit") _quitWhenJoined = true;
            else _terminal.Write("* not in the room yet; wait for the welcome");
            return;
        }
        switch (line.Trim())
        {
            case "":
                return;
            case "/quit":
                _room.Tell(Leave.Instance, Self);
                End(0, "* you left the room");
                return;
            case "/who":
                _room.Tell(Who.Instance, Self);
                return;
        }
        // Checked here too, so the user hears at once; the room checks again, since it trusts no client.
        if (ChatRules.LineProblem(line, _maxLineLength) is { } problem)
        {
            _terminal.Write($"* not said: {problem}");
            return;
        }
        _room.Tell(new Say(++_lines, line), Self);
    }

    private void End(int code, string message)
    {
        _ending = true;
        _terminal.Write(message);
        _terminal.Close();
        // The exit code once everything shown is written.
        _terminal.Completion.ContinueWith(_ => _exit.TrySetResult(code), TaskScheduler.Default);
        Context.Stop(Self);
    }

    private sealed class FindTimedOut : INoSerializationVerificationNeeded
    {
        public static readonly FindTimedOut Instance = new();
    }

    private sealed class AskAgain : INoSerializationVerificationNeeded
    {
        public static readonly AskAgain Instance = new();
    }
}

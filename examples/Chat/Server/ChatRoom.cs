using ActorTasks.Examples.Chat.Protocol;
using Akka.Actor;
using Akka.Event;
using Dropped = ActorTasks.Examples.Chat.Protocol.Dropped;

namespace ActorTasks.Examples.Chat.Server;

/// <summary>
/// The chat room: who is in it, by nickname; every line said goes to every member, through each member's
/// <see cref="Outbox"/>, in the order the room received it (so each sender's lines arrive in order). Members are
/// death-watched: a client whose process or network dies is seen leaving.
/// </summary>
public sealed class ChatRoom : ReceiveActor
{
    private readonly RoomSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, Member> _byNick = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<IActorRef, Member> _byClient = [];

    public ChatRoom(RoomSettings settings)
    {
        _settings = settings;
        Receive<Join>(OnJoin);
        Receive<Say>(OnSay);
        Receive<Who>(_ => Sender.Tell(new Members(Nicks()), Self));
        Receive<Ack>(ack =>
        {
            if (_byClient.TryGetValue(Sender, out var member)) member.Outbox.Tell(ack, Sender);
        });
        Receive<Leave>(_ =>
        {
            if (_byClient.TryGetValue(Sender, out var member)) Remove(member, "quit");
        });
        Receive<FellBehind>(behind =>
        {
            if (!_byClient.TryGetValue(behind.Client, out var member)) return;
            var reason = $"dropped: fell more than {_settings.MaxBehind} messages behind";
            behind.Client.Tell(new Dropped($"you fell more than {_settings.MaxBehind} messages behind and were dropped from the room"), Self);
            Remove(member, reason);
        });
        Receive<Terminated>(t =>
        {
            if (_byClient.TryGetValue(t.ActorRef, out var member)) Remove(member, "disconnected");
        });
    }

    public static Props Props(RoomSettings settings) => Akka.Actor.Props.Create(() => new ChatRoom(settings));

    private void OnJoin(Join join)
    {
        var client = Sender;
        var problem = ChatRules.NickProblem(join.Nick)
            ?? (_byClient.TryGetValue(client, out var already) ? $"you are in the room already, as '{already.Nick}'" : null)
            ?? (_byNick.ContainsKey(join.Nick) ? $"the nickname '{join.Nick}' is taken" : null);
        if (problem is not null)
        {
            _log.Info("Join of {Client} as {Nick} refused: {Problem}", client.Path, ChatRules.Shown(join.Nick ?? ""), problem);
            client.Tell(new JoinRefused(join.Nick ?? "", problem), Self);
            return;
        }
        Broadcast(new MemberJoined(0, join.Nick));
        var member = new Member(join.Nick, client, Context.ActorOf(Outbox.Props(client, _settings)));
        _byNick.Add(member.Nick, member);
        _byClient.Add(client, member);
        Context.Watch(client);
        client.Tell(new Welcome(member.Nick, Nicks(), _settings.MaxLineLength), Self);
        _log.Info("{Nick} joined from {Address}", member.Nick, client.Path.Address);
    }

    private void OnSay(Say say)
    {
        if (!_byClient.TryGetValue(Sender, out var member))
        {
            Sender.Tell(new SayRefused(say.Line, "join the room first"), Self);
            return;
        }
        if (ChatRules.LineProblem(say.Text, _settings.MaxLineLength) is { } problem)
        {
            Sender.Tell(new SayRefused(say.Line, problem), Self);
            return;
        }
        Broadcast(new Said(0, member.Nick, say.Line, say.Text));
    }

    private void Remove(Member member, string reason)
    {
        _byNick.Remove(member.Nick);
        _byClient.Remove(member.Client);
        Context.Unwatch(member.Client);
        Context.Stop(member.Outbox);
        Broadcast(new MemberLeft(0, member.Nick, reason));
        _log.Info("{Nick} left: {Reason}", member.Nick, reason);
    }

    private void Broadcast(IRoomEvent e)
    {
        foreach (var member in _byClient.Values) member.Outbox.Tell(e, Self);
    }

    private string[] Nicks() => [.. _byNick.Keys.Order(StringComparer.OrdinalIgnoreCase)];

    private sealed record Member(string Nick, IActorRef Client, IActorRef Outbox);
}

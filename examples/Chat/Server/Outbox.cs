using ActorTasks.Examples.Chat.Protocol;
using Akka.Actor;

namespace ActorTasks.Examples.Chat.Server;

/// <summary>
/// One member's outgoing queue: numbers the room's events for that member and sends them with at most
/// <see cref="RoomSettings.Window"/> unacknowledged; when more than <see cref="RoomSettings.MaxBehind"/> wait, it tells the
/// room that the member fell behind. So a slow client costs the room a bounded queue, never a wait.
/// </summary>
public sealed class Outbox : ReceiveActor
{
    private readonly IActorRef _client;
    private readonly RoomSettings _settings;
    private readonly Queue<IRoomEvent> _waiting = new();
    private long _sent;
    private long _acked;
    private bool _overflowed;

    public Outbox(IActorRef client, RoomSettings settings)
    {
        _client = client;
        _settings = settings;
        Receive<IRoomEvent>(OnEvent);
        Receive<Ack>(ack =>
        {
            // Only what was sent can be acknowledged: a bogus number from the network cannot open the window.
            _acked = Math.Clamp(ack.UpTo, _acked, _sent);
            Pump();
        });
    }

    public static Props Props(IActorRef client, RoomSettings settings) => Akka.Actor.Props.Create(() => new Outbox(client, settings));

    private void OnEvent(IRoomEvent e)
    {
        if (_overflowed) return;
        _waiting.Enqueue(e);
        Pump();
        if (_waiting.Count > _settings.MaxBehind)
        {
            _overflowed = true;
            _waiting.Clear();
            Context.Parent.Tell(new FellBehind(_client), Self);
        }
    }

    private void Pump()
    {
        while (_waiting.Count > 0 && _sent - _acked < _settings.Window)
        {
            var next = _waiting.Dequeue();
            _sent++;
            _client.Tell(Number(next, _sent), Context.Parent);
        }
    }

    private static IRoomEvent Number(IRoomEvent e, long seq) => e switch
    {
        Said s => s with { Seq = seq },
        MemberJoined j => j with { Seq = seq },
        MemberLeft l => l with { Seq = seq },
        _ => throw new ArgumentException($"unknown room event {e.GetType().Name}", nameof(e)),
    };
}

/// <summary>An outbox tells the room its member fell more than the limit behind.</summary>
internal sealed record FellBehind(IActorRef Client) : INoSerializationVerificationNeeded;

using ActorTasks.Examples.Chat.Protocol;
using ActorTasks.Examples.Chat.Server;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Xunit;
using Xunit.Abstractions;
using Dropped = ActorTasks.Examples.Chat.Protocol.Dropped;

namespace ActorTasks.Examples.Chat.Tests;

/// <summary>The room with several clients in one actor system (test probes as clients).</summary>
public sealed class ChatRoomTests(ITestOutputHelper output) : TestKit(ChatTestConfig.Create(), output: output)
{
    private IActorRef Room(RoomSettings? settings = null) => Sys.ActorOf(ChatRoom.Props(settings ?? RoomSettings.Default));

    private TestProbe Joined(IActorRef room, string nick)
    {
        var client = CreateTestProbe(nick);
        room.Tell(new Join(nick), client.Ref);
        client.ExpectMsg<Welcome>(w => w.Nick == nick);
        return client;
    }

    /// <summary>The next <paramref name="count"/> room events of <paramref name="client"/>, each acknowledged as a terminal would once it is shown.</summary>
    private static List<IRoomEvent> Events(TestProbe client, IActorRef room, int count)
    {
        var events = new List<IRoomEvent>();
        for (var i = 0; i < count; i++)
        {
            var e = client.ExpectMsg<IRoomEvent>();
            // Numbered one by one for this client: nothing skipped, nothing twice.
            if (events.Count > 0) Assert.Equal(events[^1].Seq + 1, e.Seq);
            events.Add(e);
            room.Tell(new Ack(e.Seq), client.Ref);
        }
        return events;
    }

    [Fact]
    public void A_joiner_sees_who_is_in_the_room_and_members_see_joins_and_leaves()
    {
        var room = Room();
        var alice = Joined(room, "alice");
        var bob = CreateTestProbe();
        room.Tell(new Join("bob"), bob.Ref);

        Assert.Equal(["alice", "bob"], bob.ExpectMsg<Welcome>().Members);
        Assert.Equal(new MemberJoined(1, "bob"), alice.ExpectMsg<MemberJoined>());
        room.Tell(Who.Instance, alice.Ref);
        Assert.Equal(["alice", "bob"], alice.ExpectMsg<Members>().Nicks);

        room.Tell(Leave.Instance, bob.Ref);
        Assert.Equal(new MemberLeft(2, "bob", "quit"), alice.ExpectMsg<MemberLeft>());
        bob.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Every_member_gets_every_line_and_each_senders_lines_in_the_order_said()
    {
        var room = Room();
        var alice = Joined(room, "alice");
        var bob = Joined(room, "bob");
        var carol = Joined(room, "carol");
        Events(alice, room, 2);
        Events(bob, room, 1);
        const int lines = 150;
        for (var i = 1; i <= lines; i++)
        {
            room.Tell(new Say(i, $"a{i}"), alice.Ref);
            room.Tell(new Say(i, $"b{i}"), bob.Ref);
        }

        foreach (var client in new[] { alice, bob, carol })
        {
            var said = Events(client, room, 2 * lines).Cast<Said>().ToList();
            Assert.Equal(Enumerable.Range(1, lines).Select(i => $"a{i}"), said.Where(s => s.Nick == "alice").Select(s => s.Text));
            Assert.Equal(Enumerable.Range(1, lines).Select(i => (long)i), said.Where(s => s.Nick == "bob").Select(s => s.Line));
        }
    }

    [Theory]
    [InlineData("alice", "the nickname 'alice' is taken")]
    [InlineData("ALICE", "the nickname 'ALICE' is taken")]
    [InlineData("", "a nickname cannot be empty")]
    [InlineData("two words", "'two words' is not a nickname: use letters, digits, '-' and '_'")]
    [InlineData("a\u001b[2Jb", "'a?[2Jb' is not a nickname")]
    [InlineData("abcdefghijabcdefghijabcdefghijabc", "a nickname has at most 32 characters")]
    public void A_taken_or_malformed_nickname_is_refused_with_the_reason(string nick, string reason)
    {
        var room = Room();
        var alice = Joined(room, "alice");
        var other = CreateTestProbe();

        room.Tell(new Join(nick), other.Ref);

        Assert.Contains(reason, other.ExpectMsg<JoinRefused>().Reason);
        alice.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_client_cannot_join_twice()
    {
        var room = Room();
        var alice = Joined(room, "alice");
        room.Tell(new Join("alice2"), alice.Ref);
        Assert.Equal("you are in the room already, as 'alice'", alice.ExpectMsg<JoinRefused>().Reason);
    }

    [Theory]
    [InlineData(11, "the line is 11 characters long; at most 10 are allowed")]
    [InlineData(-1, "the line holds control characters")]
    public void A_line_over_the_limit_or_with_control_characters_is_refused_and_nobody_hears_it(int length, string reason)
    {
        var room = Room(new RoomSettings(MaxLineLength: 10));
        var alice = Joined(room, "alice");
        var bob = Joined(room, "bob");
        Events(alice, room, 1);

        room.Tell(new Say(7, length < 0 ? "hi\u001b]0;x\u0007" : new string('x', length)), alice.Ref);

        Assert.Equal(new SayRefused(7, reason), alice.ExpectMsg<SayRefused>());
        bob.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        room.Tell(new Say(8, new string('x', 10)), alice.Ref);
        Assert.Equal(10, bob.ExpectMsg<Said>().Text.Length);
    }

    [Fact]
    public void A_line_from_someone_not_in_the_room_is_refused()
    {
        var room = Room();
        var stranger = CreateTestProbe();
        room.Tell(new Say(1, "hello?"), stranger.Ref);
        Assert.Equal("join the room first", stranger.ExpectMsg<SayRefused>().Reason);
    }

    [Fact]
    public void A_client_that_dies_is_seen_leaving_and_its_nickname_is_free_again()
    {
        var room = Room();
        var alice = Joined(room, "alice");
        var bob = Joined(room, "bob");
        Events(alice, room, 1);

        Sys.Stop(bob.Ref);

        Assert.Equal(new MemberLeft(2, "bob", "disconnected"), alice.ExpectMsg<MemberLeft>());
        // A new client (a probe of another name: the dead one's name may still be taken while it is being stopped).
        var again = CreateTestProbe();
        room.Tell(new Join("bob"), again.Ref);
        again.ExpectMsg<Welcome>(w => w.Nick == "bob");
    }

    [Fact]
    public void A_slow_client_is_dropped_when_it_falls_too_far_behind_and_does_not_slow_the_others()
    {
        // The room and its outboxes run on the calling thread, so each Tell below returns once the room and the outboxes
        // have handled it and all that follows from it: when the fast client says its next line, the room has heard
        // whether the slow one fell behind. (On their own threads, the room could take a line before that news.)
        var room = Sys.ActorOf(
            ChatRoom.Props(new RoomSettings(Window: 4, MaxBehind: 10)).WithDispatcher(CallingThreadDispatcher.Id),
            ChatTestConfig.SynchronousRoom);
        var slow = Joined(room, "slow");
        var fast = Joined(room, "fast");
        Events(slow, room, 1);
        // A bogus acknowledgement of what was never sent opens no window.
        room.Tell(new Ack(1_000_000), slow.Ref);

        // The fast client reads each line as it comes; the slow one reads nothing.
        var seen = new List<IRoomEvent>();
        for (var i = 1; i <= 40; i++)
        {
            room.Tell(new Say(i, $"line {i}"), fast.Ref);
            seen.AddRange(Events(fast, room, 1));
            if (seen[^1] is MemberLeft) seen.AddRange(Events(fast, room, 1));
        }

        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"line {i}"), seen.OfType<Said>().Select(s => s.Text));
        // Four lines on their way (the window) and ten waiting: the fifteenth line was one too many.
        var left = Assert.Single(seen.OfType<MemberLeft>());
        Assert.Equal(("slow", "dropped: fell more than 10 messages behind"), (left.Nick, left.Reason));
        Assert.Equal(15, seen.IndexOf(left));
        // The slow one had the window's worth (the join it acknowledged, then four lines), then the notice.
        Assert.Equal(["line 1", "line 2", "line 3", "line 4"], Enumerable.Range(0, 4).Select(_ => slow.ExpectMsg<Said>().Text));
        Assert.Contains("fell more than 10 messages behind", slow.ExpectMsg<Dropped>().Reason);
        slow.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}

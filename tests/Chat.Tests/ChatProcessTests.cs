using Xunit;

namespace ActorTasks.Examples.Chat.Tests;

/// <summary>The chat as a user runs it: a server process and two client processes talking over Akka.Remote on loopback.</summary>
public sealed class ChatProcessTests : IAsyncLifetime
{
    // Generous: the machine may be loaded, and a client looks for a server for 20 s before it gives up.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly List<ChatProcess> _processes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in _processes) await process.DisposeAsync();
    }

    private ChatProcess Start(params string[] arguments)
    {
        var process = ChatProcess.Start(arguments);
        _processes.Add(process);
        return process;
    }

    [Fact]
    public async Task Two_clients_talk_a_taken_nickname_is_refused_and_a_killed_client_is_seen_leaving()
    {
        var server = Start("server", "--port", "0");
        var listening = await server.WaitForLineAsync(l => l.StartsWith("chat server listening at ", StringComparison.Ordinal), Timeout);
        var endpoint = listening["chat server listening at ".Length..].Split(';')[0];

        var alice = Start("join", "alice", "--server", endpoint);
        await alice.WaitForLineAsync(l => l == "* you joined as alice; in the room: alice", Timeout);
        var bob = Start("join", "bob", "--server", endpoint);
        await bob.WaitForLineAsync(l => l == "* you joined as bob; in the room: alice, bob", Timeout);
        await alice.WaitForLineAsync(l => l == "* bob joined", Timeout);

        await alice.SendLineAsync("hello bob");
        await bob.WaitForLineAsync(l => l == "<alice> hello bob", Timeout);
        await bob.SendLineAsync("hi alice");
        await alice.WaitForLineAsync(l => l == "<bob> hi alice", Timeout);

        var impostor = Start("join", "Alice", "--server", endpoint);
        await impostor.WaitForLineAsync(l => l == "cannot join: the nickname 'Alice' is taken", Timeout);
        Assert.Equal(2, await impostor.ExitCodeAsync(Timeout));

        // Death watch: bob's process dies without a word, and the room tells alice.
        bob.KillHard();
        await alice.WaitForLineAsync(l => l == "* bob left (disconnected)", Timeout);

        await alice.SendLineAsync("/quit");
        await alice.WaitForLineAsync(l => l == "* you left the room", Timeout);
        Assert.Equal(0, await alice.ExitCodeAsync(Timeout));
    }

    [Theory]
    [InlineData(new[] { "join", "two words", "--server", "127.0.0.1:4060" }, "NICK: 'two words' is not a nickname")]
    [InlineData(new[] { "join", "alice", "--server", "nowhere" }, "--server: 'nowhere' is not HOST:PORT")]
    [InlineData(new[] { "server", "--host", "10.1.2.3" }, "--host: 10.1.2.3 is not loopback, and chat traffic is plain TCP")]
    public async Task Bad_arguments_exit_2_naming_the_argument(string[] arguments, string message)
    {
        var chat = Start(arguments);
        await chat.WaitForLineAsync(l => l.Contains(message, StringComparison.Ordinal), Timeout);
        Assert.Equal(2, await chat.ExitCodeAsync(Timeout));
    }

    [Fact]
    public async Task A_client_with_no_server_to_reach_says_so_and_exits_1()
    {
        var alice = Start("join", "alice", "--server", "127.0.0.1:1");
        await alice.WaitForLineAsync(l => l == "no chat server answers at akka.tcp://chat@127.0.0.1:1", Timeout);
        Assert.Equal(1, await alice.ExitCodeAsync(Timeout));
    }
}

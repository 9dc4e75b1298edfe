using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using ActorTasks.Examples.Chat;
using ActorTasks.Examples.Chat.Client;
using ActorTasks.Examples.Chat.Server;
using Akka.Actor;

// chat server [--host 127.0.0.1] [--port 4060] ...  |  chat join NICK --server HOST:PORT
const int BadArguments = 2;

var root = new RootCommand("A chat room as actors over Akka.Remote.");

var host = new Option<string>("--host") { Description = "Interface to listen on", DefaultValueFactory = _ => "127.0.0.1" };
var port = new Option<int>("--port", "-p") { Description = "Port to listen on (0: any free port)", DefaultValueFactory = _ => 4060 };
var publicHost = new Option<string?>("--public-host") { Description = "The address clients reach this server at, when --host is 0.0.0.0" };
var allowUnencrypted = new Option<bool>("--allow-unencrypted") { Description = "Listen on an interface other than loopback, in plain TCP" };
var maxLine = new Option<int>("--max-line") { Description = "Longest line a member may say", DefaultValueFactory = _ => RoomSettings.Default.MaxLineLength };
var maxBehind = new Option<int>("--max-behind") { Description = "Messages a member may fall behind before it is dropped", DefaultValueFactory = _ => RoomSettings.Default.MaxBehind };
var server = new Command("server", "Start a chat room");
foreach (var option in new Option[] { host, port, publicHost, allowUnencrypted, maxLine, maxBehind }) server.Options.Add(option);
server.SetAction(async (parse, cancel) =>
{
    var hostname = parse.GetValue(host)!;
    var problem = !IPAddress.TryParse(hostname, out var address) ? $"--host: '{hostname}' is not an IP address"
        : !IPAddress.IsLoopback(address) && !parse.GetValue(allowUnencrypted) ? $"--host: {hostname} is not loopback, and chat traffic is plain TCP; add --allow-unencrypted on a network you trust"
        : parse.GetValue(port) is < 0 or > 65535 ? $"--port: {parse.GetValue(port)} is not a port"
        : parse.GetValue(maxLine) < 1 ? "--max-line: must be at least 1"
        : parse.GetValue(maxBehind) < 1 ? "--max-behind: must be at least 1"
        : null;
    if (problem is not null)
    {
        Console.Error.WriteLine(problem);
        return BadArguments;
    }
    var system = ActorSystem.Create(ChatConfig.SystemName, ChatConfig.Create(hostname, parse.GetValue(port), parse.GetValue(publicHost), "INFO"));
    system.ActorOf(ChatRoom.Props(new RoomSettings(parse.GetValue(maxLine), MaxBehind: parse.GetValue(maxBehind))), ChatConfig.RoomName);
    var self = ((ExtendedActorSystem)system).Provider.DefaultAddress;
    Console.WriteLine($"chat server listening at {self.Host}:{self.Port}; join with: chat join NICK --server {self.Host}:{self.Port}");
    await UntilSignalAsync();
    await system.Terminate();
    return 0;
});
root.Subcommands.Add(server);

var nick = new Argument<string>("NICK") { Description = "Your nickname: letters, digits, '-' and '_'" };
var serverAddress = new Option<string>("--server", "-s") { Description = "The server, HOST:PORT", Required = true };
var clientPort = new Option<int>("--port", "-p") { Description = "Port this client listens on for the room's messages (0: any free port)" };
var join = new Command("join", "Join a chat room");
join.Arguments.Add(nick);
join.Options.Add(serverAddress);
join.Options.Add(clientPort);
join.SetAction(async (parse, cancel) =>
{
    var name = parse.GetValue(nick)!;
    var endpoint = parse.GetValue(serverAddress)!;
    var isEndpoint = TrySplit(endpoint, out var serverHost, out var serverPort);
    var problem = ChatRules.NickProblem(name) is { } bad ? $"NICK: {bad}"
        : !isEndpoint ? $"--server: '{endpoint}' is not HOST:PORT"
        : parse.GetValue(clientPort) is < 0 or > 65535 ? $"--port: {parse.GetValue(clientPort)} is not a port"
        : null;
    if (problem is not null)
    {
        Console.Error.WriteLine(problem);
        return BadArguments;
    }
    var system = ActorSystem.Create(ChatConfig.SystemName, ChatConfig.Create("127.0.0.1", parse.GetValue(clientPort), logLevel: "ERROR"));
    var exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
    var room = system.ActorSelection($"akka.tcp://{ChatConfig.SystemName}@{serverHost}:{serverPort}/user/{ChatConfig.RoomName}");
    var client = system.ActorOf(ChatClient.Props(room, name, Console.Out, exit), "client");
    // Typed lines go to the client actor as they come; the end of input is a /quit.
    _ = Task.Run(async () =>
    {
        while (await Console.In.ReadLineAsync() is { } line) client.Tell(new Input(line));
        client.Tell(new Input("/quit"));
    });
    _ = UntilSignalAsync().ContinueWith(_ => client.Tell(new Input("/quit")), TaskScheduler.Default);
    var code = await exit.Task;
    await system.Terminate();
    return code;
});
root.Subcommands.Add(join);

return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

static bool TrySplit(string endpoint, out string host, out int port)
{
    var colon = endpoint.LastIndexOf(':');
    host = colon > 0 ? endpoint[..colon].Trim('[', ']') : "";
    return int.TryParse(endpoint[(colon + 1)..], out port) && port is > 0 and <= 65535 && host.Length > 0;
}

static Task UntilSignalAsync()
{
    var signalled = new TaskCompletionSource();
    var registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }
        .Select(s => PosixSignalRegistration.Create(s, context =>
        {
            context.Cancel = true;
            signalled.TrySetResult();
        }))
        .ToList();
    return signalled.Task.ContinueWith(_ => registrations.ForEach(r => r.Dispose()), TaskScheduler.Default);
}

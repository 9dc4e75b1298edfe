using ActorTasks.Actor;
using ActorTasks.Remote.Provider;
using ActorTasks.Remote.TestHost;
using ActorTasks.Remote.Transport;
using Serilog;

// A node for cross-process tests: remoting on 127.0.0.1, a free port, a few named actors, commands on standard input.
//   --system NAME   the actor system's name (default "host")
//   --secret S      the shared secret (default: the ACTORTASKS__remote__secret environment variable, else none)
// Prints "READY <address>" once it listens; reads "stop <actor>" and "exit" line by line; exits when its input ends.

string systemName = "host";
string? secret = Environment.GetEnvironmentVariable("ACTORTASKS__remote__secret");
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--system" when value is not null:
            systemName = value;
            i++;
            break;
        case "--secret" when value is not null:
            secret = value;
            i++;
            break;
        default:
            Console.Error.WriteLine($"argument {i + 1} '{args[i]}': expected --system NAME or --secret S");
            return 2;
    }
}

// Standard output carries the protocol lines; the log goes to standard error.
var output = TextWriter.Synchronized(Console.Out);
Console.SetOut(output);
var logger = new LoggerConfiguration().MinimumLevel.Information()
    .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose)
    .CreateLogger();
var system = ActorSystem.Create(systemName, config: null, logger);
await RemoteActorRefProvider.StartAsync(system, TransportSettings.Default with { Secret = secret }, HostProtocol.Registry());

IActorRef[] hosted =
[
    system.ActorOf(Props.Create(() => new Echo()), HostProtocol.Echo),
    system.ActorOf(Props.Create(() => new Stopper()), HostProtocol.Stopper),
    system.ActorOf(Props.Create(() => new Counter()), HostProtocol.Counter),
    system.ActorOf(Props.Create(() => new RelayActor()), HostProtocol.RelayActor),
    system.ActorOf(Props.Create(() => new Blackhole(output)), HostProtocol.Blackhole),
    system.ActorOf(Props.Create(() => new Spinner(output)), HostProtocol.Spinner),
];
system.ActorOf(Props.Create(() => new StopReporter(output, hosted)), "stop-reporter");
output.WriteLine($"{HostProtocol.Ready} {system.Address}");

while (await Console.In.ReadLineAsync() is { } line)
{
    var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (words is ["exit"]) break;
    if (words is ["stop", var name] && hosted.FirstOrDefault(a => a.Path.Name == name) is { } actor) system.Stop(actor);
    else if (words.Length > 0) output.WriteLine($"{HostProtocol.Error} unknown command '{line}': expected 'stop <actor>' or 'exit'");
}
await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
await logger.DisposeAsync();
return 0;

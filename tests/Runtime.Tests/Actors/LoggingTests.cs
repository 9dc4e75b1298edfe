using ActorTasks.Actor;
using ActorTasks.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Xunit;

namespace ActorTasks.Tests.Actors;

public sealed class LoggingTests
{
    private sealed class Collecting(IActorRef probe) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => probe.Tell(logEvent, Nobody.Instance);
    }

    private sealed class Chatty : ReceiveActor
    {
        public Chatty() => Receive<string>(s => Context.GetLogger().Information("said {What}", s));
    }

    [Fact]
    public async Task GetLogger_enriches_events_with_the_actor_path_and_honours_the_level()
    {
        var probeSystem = ActorSystem.Create("probe");
        var events = new TaskCompletionSource<LogEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sinkTarget = probeSystem.ActorOf(Props.Create(() => new Capture(events)));
        var host = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new Collecting(sinkTarget)).CreateLogger();
        var system = ActorSystem.Create("logging", RuntimeSettings.Default with { LogLevel = LogEventLevel.Information }, host);
        try
        {
            system.Log.Debug("below the level");
            system.ActorOf(Props.Create<Chatty>(), "chatty").Tell("hello", Nobody.Instance);
            var e = await events.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("said \"hello\"", e.RenderMessage());
            Assert.Equal($"\"actortasks://logging/user/chatty\"", e.Properties["ActorPath"].ToString());
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
            await probeSystem.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private sealed class Capture : ReceiveActor
    {
        public Capture(TaskCompletionSource<LogEvent> first) => Receive<LogEvent>(e =>
        {
            if (e.Properties.ContainsKey("ActorPath")) first.TrySetResult(e);
            else if (e.Level < LogEventLevel.Information) first.TrySetException(new Xunit.Sdk.XunitException("a Debug event passed an Information filter"));
        });
    }
}

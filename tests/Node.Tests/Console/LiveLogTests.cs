using ActorTasks.Node.Console;
using Serilog;
using Xunit;

namespace ActorTasks.Node.Tests.Console;

/// <summary>Console log events while the seed's console waits at its prompt: written over the prompt, which comes again under them.</summary>
public sealed class LiveLogTests
{
    [Fact]
    public void An_event_while_the_console_waits_at_its_prompt_erases_the_prompt_row_and_shows_the_prompt_again_after_it()
    {
        var screen = new StringWriter();
        using var log = new LoggerConfiguration().WriteTo.Sink(new LiveLog.PromptSink("[{Level:u3}] {Message:lj}{NewLine}", screen)).CreateLogger();

        using (LiveLog.ShowPrompt("actortasks> "))
        {
            Assert.Equal("actortasks> ", LiveLog.Prompt);
            log.Warning("node {Address} is considered dead", "akka.tcp://tasks@127.0.0.1:43650");
        }
        Assert.Null(LiveLog.Prompt);
        log.Information("after the prompt");

        Assert.Equal($"\r\u001b[2K[WRN] node akka.tcp://tasks@127.0.0.1:43650 is considered dead{Environment.NewLine}actortasks> [INF] after the prompt{Environment.NewLine}",
            screen.ToString());
    }
}

using System.Threading.Channels;
using ActorTasks.Messages;
using ActorTasks.Node.Console;
using ActorTasks.Node.Jobs;
using Serilog;
using Spectre.Console;
using Xunit;

namespace ActorTasks.Node.Tests.Jobs;

/// <summary>The live view of a job on a terminal: log events during it are written above it, whole, never into it.</summary>
public sealed class JobProgressViewTests
{
    [Fact]
    public async Task A_log_event_during_a_live_view_lands_above_it_and_not_in_the_middle_of_it()
    {
        var screen = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(screen),
        });
        console.Profile.Width = 80;
        using var log = new LoggerConfiguration()
            .WriteTo.Logger(c => c.Filter.ByIncludingOnly(_ => LiveLog.Active).WriteTo.Sink(new LiveLog.Sink("[{Level:u3}] {Message:lj}{NewLine}")))
            .CreateLogger();
        var events = Channel.CreateUnbounded<object>();

        var view = JobProgressView.ShowBarAsync("7", events.Reader, console, CancellationToken.None);
        Assert.True(LiveLog.Active);
        events.Writer.TryWrite(new JobProgress("7", 3, 0, 10, 1.5, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), new Dictionary<string, long>(), new Dictionary<string, long>()));
        log.Warning("node {Address} is considered dead", "akka.tcp://tasks@127.0.0.1:43650");
        events.Writer.TryWrite(new JobFinished("7", JobState.Completed, [], [], 10, 0, 10, [], null, TimeSpan.FromSeconds(4)));
        events.Writer.TryComplete();
        var finished = await view.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(JobState.Completed, finished!.State);
        Assert.False(LiveLog.Active);
        var text = screen.ToString();
        var logLine = text.IndexOf("[WRN] node akka.tcp://tasks@127.0.0.1:43650 is considered dead", StringComparison.Ordinal);
        Assert.True(logLine >= 0, text);
        // Written where the view began, that row erased first: a log line shorter than the bar leaves none of it behind.
        Assert.Equal("\u001b[2K", text[(logLine - 4)..logLine]);
        // The view is drawn again below the log line, at its end.
        Assert.True(text.LastIndexOf("job 7 100%", StringComparison.Ordinal) > logLine, text);
    }
}

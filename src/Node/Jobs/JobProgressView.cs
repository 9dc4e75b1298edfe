using System.Diagnostics;
using System.Threading.Channels;
using ActorTasks.Messages;
using ActorTasks.Node.Console;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorTasks.Node.Jobs;

/// <summary>Shows a job's progress events: a line that fits the terminal, redrawn in place (<see cref="ProgressLine"/>), or a plain line at most every second when the output is not a terminal.</summary>
internal static class JobProgressView
{
    /// <summary>Shows events until the job finishes (returns its result) or <paramref name="cancellationToken"/> ends the watch (returns null).</summary>
    public static async Task<JobFinished?> ShowAsync(string jobId, ChannelReader<object> events, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            return TerminalOf(output) is { } terminal
                ? await ShowBarAsync(jobId, events, terminal, cancellationToken).ConfigureAwait(false)
                : await ShowLinesAsync(jobId, events, output, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync($"left the watch of job {jobId}; it goes on").ConfigureAwait(false);
            return null;
        }
    }

    // The terminal behind this process's standard output or standard error (where `submit --wait --json` shows its
    // progress, standard output carrying the document); null for anything else, a file or a pipe.
    private static IAnsiConsole? TerminalOf(TextWriter output)
    {
        if (output == System.Console.Out) return System.Console.IsOutputRedirected ? null : AnsiConsole.Console;
        if (output != System.Console.Error || System.Console.IsErrorRedirected) return null;
        return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
    }

    // Redrawn in place; the clock moves between events too (a job's progress is reported only when it changes). Console
    // log events meanwhile are held (LiveLog) and written above the view, through it, so they never tear it.
    internal static async Task<JobFinished?> ShowBarAsync(string jobId, ChannelReader<object> events, IAnsiConsole console, CancellationToken cancellationToken)
    {
        using var logs = LiveLog.Begin();
        JobFinished? finished = null;
        JobProgress? last = null;
        var since = Stopwatch.StartNew();
        var message = $"job {DisplayText.Escape(jobId)}: waiting for its first progress report";
        await console.Live(Draw(console, message, null)).AutoClear(false).Overflow(VerticalOverflow.Crop).StartAsync(async live =>
        {
            while (finished is null)
            {
                var ready = events.WaitToReadAsync(cancellationToken).AsTask();
                await Task.WhenAny(ready, Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (ready.IsCompleted && !await ready.ConfigureAwait(false)) break;
                while (events.TryRead(out var e))
                {
                    switch (e)
                    {
                        case JobProgress p:
                            (last, message) = (p, "");
                            since.Restart();
                            break;
                        case JobFinished f:
                            finished = f;
                            last = last is null ? null : last with { Done = f.Done, Failed = f.Failed, Total = f.Total ?? last.Total, Eta = TimeSpan.Zero, Elapsed = f.Elapsed };
                            since.Reset();
                            break;
                        case JobUnknown:
                            message = JobCommands.UnknownJob(jobId);
                            break;
                    }
                }
                if (string.Concat(LiveLog.TakeHeld()) is { Length: > 0 } held) console.Write(new AboveTheView(held));
                live.UpdateTarget(Draw(console, message, last is null ? null : last with { Elapsed = last.Elapsed + since.Elapsed }));
            }
        }).ConfigureAwait(false);
        return finished;
    }

    // One line for the job and, when there is room, one for its nodes: never wider than the terminal, so never torn.
    private static Rows Draw(IAnsiConsole console, string message, JobProgress? p)
    {
        var width = Math.Max(20, console.Profile.Width - 1);
        if (p is null) return new Rows(new Text(message.Length <= width ? message : message[..(width - 1)] + "…"));
        var nodes = ProgressLine.Nodes(p, width);
        return nodes.Length == 0 ? new Rows(new Text(ProgressLine.Render(p, width))) : new Rows(new Text(ProgressLine.Render(p, width)), new Text(nodes));
    }

    private static async Task<JobFinished?> ShowLinesAsync(string jobId, ChannelReader<object> events, TextWriter output, CancellationToken cancellationToken)
    {
        var lastLine = DateTime.MinValue;
        JobFinished? finished = null;
        await foreach (var e in events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (e)
            {
                case JobProgress p when DateTime.UtcNow - lastLine >= TimeSpan.FromSeconds(1):
                    lastLine = DateTime.UtcNow;
                    await output.WriteLineAsync(ProgressLine.Plain(p)).ConfigureAwait(false);
                    break;
                case JobFinished f:
                    finished = f;
                    break;
                case JobUnknown:
                    await output.WriteLineAsync(JobCommands.UnknownJob(jobId)).ConfigureAwait(false);
                    break;
            }
        }
        return finished;
    }

    /// <summary>
    /// Text written while a live view is on screen: Spectre puts it where the view began and draws the view again below
    /// it, erasing every row of the view but the first; this erases that one too, so a short line leaves no tail of the bar.
    /// </summary>
    private sealed class AboveTheView(string text) : IRenderable
    {
        private readonly Text _text = new(text);

        public Measurement Measure(RenderOptions options, int maxWidth) => ((IRenderable)_text).Measure(options, maxWidth);

        public IEnumerable<Segment> Render(RenderOptions options, int maxWidth) =>
            [Segment.Control("\u001b[2K"), .. ((IRenderable)_text).Render(options, maxWidth)];
    }
}

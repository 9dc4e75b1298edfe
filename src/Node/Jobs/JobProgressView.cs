using System.Globalization;
using System.Threading.Channels;
using ActorTasks.Messages;
using Spectre.Console;

namespace ActorTasks.Node.Jobs;

/// <summary>Shows a job's progress events: a Spectre.Console progress bar on a terminal, a line at most every second otherwise.</summary>
internal static class JobProgressView
{
    /// <summary>Shows events until the job finishes (returns its result) or <paramref name="cancellationToken"/> ends the watch (returns null).</summary>
    public static async Task<JobFinished?> ShowAsync(string jobId, ChannelReader<object> events, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            var live = output == System.Console.Out && !System.Console.IsOutputRedirected;
            return live
                ? await ShowBarAsync(jobId, events, cancellationToken).ConfigureAwait(false)
                : await ShowLinesAsync(jobId, events, output, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync($"left the watch of job {jobId}; it goes on").ConfigureAwait(false);
            return null;
        }
    }

    private static async Task<JobFinished?> ShowBarAsync(string jobId, ChannelReader<object> events, CancellationToken cancellationToken)
    {
        JobFinished? finished = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask($"job {jobId}", maxValue: 1);
                await foreach (var e in events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    switch (e)
                    {
                        case JobProgress p:
                            bar.MaxValue = Math.Max(1, p.Total ?? p.Done + p.Failed + 1);
                            bar.Value = p.Done + p.Failed;
                            bar.Description = Markup.Escape(Describe(p));
                            break;
                        case JobFinished f:
                            finished = f;
                            bar.MaxValue = Math.Max(1, f.Total ?? f.Done + f.Failed);
                            bar.Value = bar.MaxValue;
                            bar.Description = Markup.Escape($"job {jobId} {f.State}");
                            break;
                        case JobUnknown:
                            bar.Description = Markup.Escape($"no job '{jobId}'");
                            break;
                    }
                }
            }).ConfigureAwait(false);
        return finished;
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
                    await output.WriteLineAsync(Describe(p)).ConfigureAwait(false);
                    break;
                case JobFinished f:
                    finished = f;
                    break;
                case JobUnknown:
                    await output.WriteLineAsync($"no job '{jobId}'; 'jobs' lists them").ConfigureAwait(false);
                    break;
            }
        }
        return finished;
    }

    /// <summary>One line: counts, rate, ETA, and the job's counters and per-node counts.</summary>
    internal static string Describe(JobProgress p)
    {
        var total = p.Total is { } t ? JobCommands.Count(t) : "?";
        var eta = p.Eta is { } e ? $", ETA {e.TotalSeconds:0} s" : "";
        var counters = p.Counters.Count == 0 ? "" : " · " + string.Join(", ", p.Counters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{DisplayText.Escape(c.Key)} {JobCommands.Count(c.Value)}"));
        var nodes = p.PerNode.Count == 0 ? "" : " · " + string.Join(", ", p.PerNode.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => $"{n.Key}: {JobCommands.Count(n.Value)}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"job {p.JobId}: {JobCommands.Count(p.Done)}/{total} done, {JobCommands.Count(p.Failed)} failed, {p.RatePerSecond:N0}/s{eta}{counters}{nodes}");
    }
}

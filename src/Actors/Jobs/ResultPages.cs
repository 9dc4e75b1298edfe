using ActorTasks.Messages;

namespace ActorTasks.Tasks.Jobs;

/// <summary>
/// Cuts a finished job's result lines into parts that fit a message between nodes (Akka.Remote's frame is 4 MiB):
/// the <see cref="JobFinished"/> that travels carries the first lines, <see cref="GetJobLines"/> pages the rest.
/// </summary>
internal static class ResultPages
{
    /// <summary>The most JSON bytes of lines a <see cref="JobFinished"/> carries; the summary and failures fit beside them.</summary>
    public const long FinishedLineBytes = 512 * 1024;

    /// <summary>The most JSON bytes of lines in one <see cref="JobLines"/> page.</summary>
    public const long PageBytes = 1024 * 1024;

    /// <summary>The job's end as it travels: all of it when its lines fit, else the first lines and how many there are.</summary>
    public static JobFinished ForWire(JobFinished full)
    {
        var count = Fit(full.Lines, 0, int.MaxValue, FinishedLineBytes);
        return count == full.Lines.Count ? full : full with { Lines = [.. full.Lines.Take(count)], LinesTotal = full.Lines.Count };
    }

    /// <summary>Lines from <paramref name="from"/>: at most <paramref name="maxLines"/>, at most <see cref="PageBytes"/>, at least one when any is left.</summary>
    public static JobLines Page(JobFinished full, long from, int maxLines)
    {
        var start = (int)Math.Clamp(from, 0, full.Lines.Count);
        var count = Fit(full.Lines, start, Math.Max(1, maxLines), PageBytes);
        return new JobLines(full.JobId, start, [.. full.Lines.Skip(start).Take(count)], full.Lines.Count);
    }

    // How many lines from start fit the budget (one line at least, whatever its size: a line is never split, and
    // results cannot hold a line larger than a task's result, which is itself bounded below the frame size).
    private static int Fit(IReadOnlyList<string> lines, int start, int maxLines, long budget)
    {
        long used = 0;
        var count = 0;
        for (var i = start; i < lines.Count && count < maxLines; i++)
        {
            used += JsonBytes(lines[i]) + 3;
            if (count > 0 && used > budget) break;
            count++;
        }
        return count;
    }

    /// <summary>The most bytes <paramref name="text"/> takes as a JSON string (System.Text.Json escapes non-ASCII as \uXXXX).</summary>
    internal static long JsonBytes(string text)
    {
        long bytes = 0;
        foreach (var c in text) bytes += c is >= ' ' and < '\u007F' and not '"' and not '\\' and not '<' and not '>' and not '&' and not '\'' and not '+' and not '`' ? 1 : 6;
        return bytes;
    }
}

using System.Globalization;
using ActorTasks.Messages;

namespace ActorTasks.Node.Jobs;

/// <summary>
/// A job's progress as tqdm shows it, in lines that never pass a given width: the job line (bar, percent, done/total,
/// failed, rate, ETA, elapsed, the job's counters) and the per-node line under it (short node names). What does not fit
/// goes, least useful first: node counts, counters, the bar; then numbers are written short (1.3M).
/// </summary>
internal static class ProgressLine
{
    private const int MinBar = 10, MaxBar = 40;
    private static readonly string[] Spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

    // Richest first: what goes when there is no room is the counters, then the bar, then the numbers' full digits.
    private static readonly (bool ShortNumbers, bool Counters, bool Bar)[] Layouts =
        [(false, true, true), (false, false, true), (false, false, false), (true, false, true), (true, false, false)];

    /// <summary>The job line, at most <paramref name="width"/> characters.</summary>
    public static string Render(JobProgress p, int width)
    {
        var head = Head(p);
        foreach (var (shortNumbers, counters, bar) in Layouts)
        {
            var tail = Tail(p, shortNumbers, counters);
            // The bar takes the room that is left (once the total is known), at least MinBar of it.
            var room = width - head.Length - tail.Length - 2;
            var withBar = bar && p.Total is not null;
            if (withBar && room >= MinBar) return $"{head} {Bar(p, Math.Min(room, MaxBar))} {tail}";
            var line = $"{head} {tail}";
            if (!withBar && line.Length <= width) return line;
        }
        var plainest = $"{head} {Tail(p, shortNumbers: true, withCounters: false)}";
        return plainest[..Math.Max(0, width - 1)] + "…";
    }

    /// <summary>The per-node line: <c>:43649 630,000 · :43650 629,722</c>, as many nodes as fit in <paramref name="width"/>, then how many more; empty when none fits.</summary>
    public static string Nodes(JobProgress p, int width)
    {
        var names = ShortNames(p.PerNode.Keys);
        var parts = p.PerNode.OrderBy(n => names[n.Key], StringComparer.Ordinal).Select(n => $"{names[n.Key]} {JobCommands.Count(n.Value)}").ToList();
        for (var shown = parts.Count; shown > 0; shown--)
        {
            var line = "  " + string.Join(" · ", parts.Take(shown)) + (shown < parts.Count ? $" · +{parts.Count - shown} more" : "");
            if (line.Length <= width) return line;
        }
        return "";
    }

    /// <summary>One line with everything, for output that is not a terminal (a log, a pipe): no width to keep to.</summary>
    public static string Plain(JobProgress p)
    {
        var nodes = Nodes(p, int.MaxValue).Trim();
        return $"{Head(p)} {Tail(p, shortNumbers: false, withCounters: true)}{(nodes.Length > 0 ? " · " + nodes : "")}";
    }

    private static string Head(JobProgress p) => p.Total is { } total
        ? string.Create(CultureInfo.InvariantCulture, $"job {DisplayText.Escape(p.JobId)} {Percent(p, total),3}%")
        : $"job {DisplayText.Escape(p.JobId)} {Spinner[(int)(p.Elapsed.TotalSeconds * 4 % Spinner.Length)]}";

    private static string Tail(JobProgress p, bool shortNumbers, bool withCounters)
    {
        Func<long, string> n = shortNumbers ? Short : JobCommands.Count;
        var parts = new List<string>
        {
            p.Total is { } total ? $"{n(p.Done + p.Failed)}/{n(total)}" : $"{n(p.Done + p.Failed)} done",
            $"{n(p.Failed)} failed",
            $"{n((long)Math.Round(p.RatePerSecond))}/s",
        };
        if (p.Total is not null) parts.Add($"ETA {(p.Eta is { } eta ? Clock(eta) : "?")}");
        parts.Add(shortNumbers ? Clock(p.Elapsed) : $"{Clock(p.Elapsed)} elapsed");
        if (withCounters)
            parts.AddRange(p.Counters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{DisplayText.Escape(c.Key)} {n(c.Value)}"));
        return string.Join(" · ", parts);
    }

    private static long Percent(JobProgress p, long total) => total <= 0 ? 100 : Math.Clamp((p.Done + p.Failed) * 100 / total, 0, 100);

    private static string Bar(JobProgress p, int width)
    {
        var total = p.Total!.Value;
        var filled = total <= 0 ? width : (int)Math.Clamp((p.Done + p.Failed) * width / total, 0, width);
        return new string('█', filled) + new string('░', width - filled);
    }

    /// <summary>0:49, 12:03, 2:01:07.</summary>
    internal static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(long)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");

    /// <summary>950, 12.3k, 3.0M, 1.2G.</summary>
    internal static string Short(long n)
    {
        var a = Math.Abs((double)n);
        return a switch
        {
            < 1_000 => n.ToString(CultureInfo.InvariantCulture),
            < 1_000_000 => (n / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
            < 1_000_000_000 => (n / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
            _ => (n / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "G",
        };
    }

    /// <summary>
    /// Node addresses without what they share: <c>akka.tcp://tasks@127.0.0.1:43649</c> is <c>:43649</c> when every node
    /// is on 127.0.0.1, <c>10.0.0.2:4053</c> otherwise.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> ShortNames(IEnumerable<string> addresses)
    {
        var list = addresses.ToList();
        var hostPorts = list.ToDictionary(a => a, a => DisplayText.Escape(a[(a.IndexOf('@') + 1)..]), StringComparer.Ordinal);
        var hosts = hostPorts.Values.Select(h => h.LastIndexOf(':') is var colon and > 0 ? h[..colon] : h).Distinct(StringComparer.Ordinal).Count();
        return hosts == 1 && list.Count > 0
            ? hostPorts.ToDictionary(kv => kv.Key, kv => kv.Value.LastIndexOf(':') is var colon and > 0 ? kv.Value[colon..] : kv.Value, StringComparer.Ordinal)
            : hostPorts;
    }
}

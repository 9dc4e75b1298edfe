using System.Globalization;

namespace ActorTasks.Tests.Fixtures.Chaos;

/// <summary>A process's resident memory and thread count, as Linux's /proc/PID/status gives them.</summary>
internal readonly record struct ProcessStats(long RssKb, int Threads)
{
    /// <summary>The process's figures now; null when it has gone (or this is not Linux).</summary>
    public static ProcessStats? Read(int pid)
    {
        try
        {
            long rss = -1;
            var threads = -1;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Number(line);
                else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = (int)Number(line);
            }
            return rss >= 0 && threads >= 0 ? new ProcessStats(rss, threads) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// How many of the process's threads bear each name (Linux's 15-character <c>comm</c>: ".NET TP Worker",
    /// "SingleThreadEve" for DotNetty's event loops, …); null when it has gone (or this is not Linux).
    /// </summary>
    public static Dictionary<string, int>? ThreadNames(int pid)
    {
        try
        {
            var names = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                string name;
                try
                {
                    name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                }
                catch (IOException)
                {
                    continue; // the thread ended meanwhile
                }
                names[name] = names.GetValueOrDefault(name) + 1;
            }
            return names;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // "VmRSS:	  123456 kB" -> 123456
    private static long Number(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);
}

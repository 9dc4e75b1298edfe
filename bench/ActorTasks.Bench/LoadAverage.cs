namespace ActorTasks.Bench;

/// <summary>The machine's 1/5/15-minute load averages (Linux), printed with results from a shared, noisy machine.</summary>
internal static class LoadAverage
{
    public static string Read()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }
}

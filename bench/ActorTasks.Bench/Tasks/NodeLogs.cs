using ActorTasks.Node.Hosting;

namespace ActorTasks.Bench.Tasks;

/// <summary>
/// A temporary folder for the log files of the nodes a benchmark starts (deleted on dispose), the arguments that send
/// their logs there at warning level, and the filter that shows their problems next to the benchmark's lines.
/// </summary>
internal sealed class NodeLogs : IDisposable
{
    private NodeLogs(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>The setting that names the folder, as <c>-D</c> takes it.</summary>
    public string FileDirectorySetting => $"actortasks.log.file-directory=\"{Directory}\"";

    /// <summary>Every node's arguments: warnings and worse, files in this folder.</summary>
    public string[] NodeArguments => ["-D", "actortasks.log.level=warning", "-D", FileDirectorySetting];

    public static NodeLogs Create() => new(System.IO.Directory.CreateTempSubdirectory("actortasks-bench-logs-").FullName);

    /// <summary>Shows a node's output line when it is a warning or worse: only the nodes' problems are worth showing beside a benchmark's lines.</summary>
    public static void ShowProblems(NodeProcess node, string line)
    {
        if (line.Contains(" WRN]", StringComparison.Ordinal) || line.Contains(" ERR]", StringComparison.Ordinal) || line.Contains(" FTL]", StringComparison.Ordinal))
            Console.WriteLine($"  [{node.Name}] {line}");
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

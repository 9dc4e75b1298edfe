using ActorTasks.Messages;

namespace ActorTasks.Node.Jobs;

/// <summary>Prints a finished job: its state, summary, failed tasks and result lines — or writes the lines to a file, whole or not at all.</summary>
public static class JobOutputWriter
{
    /// <summary>How many result lines go to the console before the rest is only counted (use --out for all of them).</summary>
    public const int ConsoleLineLimit = 200;

    public static async Task WriteAsync(JobFinished finished, TextWriter output, string? outFile, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync(
            $"job {finished.JobId} {finished.State}{(finished.Reason is { Length: > 0 } r ? $" ({r})" : "")}: " +
            $"{JobCommands.Count(finished.Done)} tasks done, {JobCommands.Count(finished.Failed)} failed, {finished.Elapsed.TotalSeconds:0.00} s").ConfigureAwait(false);
        foreach (var (key, value) in finished.Summary)
            await output.WriteLineAsync($"  {key}: {value}").ConfigureAwait(false);
        foreach (var failure in finished.Failures)
            await output.WriteLineAsync($"  task {failure.TaskIndex} failed after {failure.Attempts} attempts: {failure.ErrorType}: {failure.Message}").ConfigureAwait(false);
        if (outFile is not null)
        {
            await WriteFileAtomicallyAsync(outFile, finished.Lines, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"wrote {JobCommands.Count(finished.Lines.Count)} lines to {outFile}").ConfigureAwait(false);
            return;
        }
        foreach (var line in finished.Lines.Take(ConsoleLineLimit))
            await output.WriteLineAsync(line).ConfigureAwait(false);
        if (finished.Lines.Count > ConsoleLineLimit)
            await output.WriteLineAsync($"... and {JobCommands.Count(finished.Lines.Count - ConsoleLineLimit)} more lines (results {finished.JobId} --out FILE writes them all)").ConfigureAwait(false);
    }

    // Written beside the target and moved over it, so a crash or a full disk never leaves a half-written file.
    private static async Task WriteFileAtomicallyAsync(string path, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"--out: the directory {directory} does not exist");
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            await File.WriteAllLinesAsync(temp, lines, cancellationToken).ConfigureAwait(false);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}

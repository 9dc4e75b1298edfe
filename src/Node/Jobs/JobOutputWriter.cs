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
            $"job {finished.JobId} {finished.State}{(finished.Reason is { Length: > 0 } r ? $" ({DisplayText.Escape(r)})" : "")}: " +
            $"{JobCommands.Count(finished.Done)} tasks done, {JobCommands.Count(finished.Failed)} failed, {finished.Elapsed.TotalSeconds:0.00} s").ConfigureAwait(false);
        foreach (var (key, value) in finished.Summary)
            await output.WriteLineAsync($"  {DisplayText.Escape(key)}: {DisplayText.Escape(value)}").ConfigureAwait(false);
        foreach (var failure in finished.Failures)
            await output.WriteLineAsync($"  task {failure.TaskIndex} failed after {failure.Attempts} attempts: {DisplayText.Escape(failure.ErrorType)}: {DisplayText.Escape(failure.Message)}").ConfigureAwait(false);
        if (outFile is not null)
        {
            await WriteFileAtomicallyAsync(outFile, finished.Lines, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"wrote {JobCommands.Count(finished.Lines.Count)} lines to {outFile}").ConfigureAwait(false);
            return;
        }
        // Result lines reach a terminal escaped (a file's escape sequences are not acted on); a pipe gets them as they are.
        var terminal = output == System.Console.Out && !System.Console.IsOutputRedirected;
        foreach (var line in finished.Lines.Take(ConsoleLineLimit))
            await output.WriteLineAsync(terminal ? DisplayText.Escape(line) : line).ConfigureAwait(false);
        if (finished.Lines.Count > ConsoleLineLimit)
            await output.WriteLineAsync($"... and {JobCommands.Count(finished.Lines.Count - ConsoleLineLimit)} more lines (results {finished.JobId} --out FILE writes them all)").ConfigureAwait(false);
    }

    /// <summary>
    /// Checks an <c>--out FILE</c> before anything runs: its folder must exist and it must not be a folder itself.
    /// Throws <see cref="ArgumentException"/> naming the option and the path.
    /// </summary>
    public static string CheckOutFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ArgumentException($"--out: '{path}' is not a usable file name ({e.Message})");
        }
        if (Directory.Exists(full)) throw new ArgumentException($"--out: {full} is a folder; name a file");
        var directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory)) throw new ArgumentException($"--out: the folder {directory} does not exist");
        return full;
    }

    // Written beside the target and moved over it, so a crash or a full disk never leaves a half-written file.
    private static async Task WriteFileAtomicallyAsync(string path, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        var full = CheckOutFile(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            await File.WriteAllLinesAsync(temp, lines, cancellationToken).ConfigureAwait(false);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"--out: could not write {full}: {e.Message}", e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}

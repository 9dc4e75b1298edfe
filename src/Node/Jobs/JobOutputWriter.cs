using ActorTasks.Messages;

namespace ActorTasks.Node.Jobs;

/// <summary>Prints a finished job: its state, summary, failed tasks and result lines — or writes the lines to a file, whole or not at all.</summary>
public static class JobOutputWriter
{
    /// <summary>How many result lines go to the console before the rest is only counted (use --out for all of them).</summary>
    public const int ConsoleLineLimit = 200;

    /// <summary>
    /// Prints the job's end; with <paramref name="outFile"/>, writes all its result lines there — when the job produced a
    /// result (it completed, with or without failed tasks), never an empty or partial file for a job that failed or was
    /// cancelled. Lines the <see cref="JobFinished"/> does not carry are fetched through <paramref name="fetchLines"/>.
    /// </summary>
    public static async Task WriteAsync(JobFinished finished, TextWriter output, string? outFile, CancellationToken cancellationToken,
        Func<long, CancellationToken, Task<JobLines>>? fetchLines = null)
    {
        await output.WriteLineAsync(
            $"job {finished.JobId} {Describe(finished.State)}{(finished.Reason is { Length: > 0 } r ? $" ({DisplayText.Escape(r)})" : "")}: " +
            $"{JobCommands.Count(finished.Done)} tasks done, {JobCommands.Count(finished.Failed)} failed, {finished.Elapsed.TotalSeconds:0.00} s").ConfigureAwait(false);
        foreach (var (key, value) in finished.Summary)
            await output.WriteLineAsync($"  {DisplayText.Escape(key)}: {DisplayText.Escape(value)}").ConfigureAwait(false);
        foreach (var failure in finished.Failures)
            await output.WriteLineAsync($"  task {failure.TaskIndex} failed after {failure.Attempts} attempts: {DisplayText.Escape(failure.ErrorType)}: {DisplayText.Escape(failure.Message)}").ConfigureAwait(false);
        if (outFile is not null)
        {
            if (finished.State is not (JobState.Completed or JobState.CompletedWithFailures))
            {
                await output.WriteLineAsync($"{outFile} not written: the job ended {Describe(finished.State)}, without a result to write").ConfigureAwait(false);
                return;
            }
            var written = await WriteFileAtomicallyAsync(outFile, AllLinesAsync(finished, fetchLines, cancellationToken), cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"wrote {JobCommands.Count(written)} lines to {outFile}").ConfigureAwait(false);
            return;
        }
        // Result lines reach a terminal escaped (a file's escape sequences are not acted on); a pipe gets them as they are.
        var terminal = output == System.Console.Out && !System.Console.IsOutputRedirected;
        foreach (var line in finished.Lines.Take(ConsoleLineLimit))
            await output.WriteLineAsync(terminal ? DisplayText.Escape(line) : line).ConfigureAwait(false);
        var shown = Math.Min(finished.Lines.Count, ConsoleLineLimit);
        if (finished.LineCount > shown)
            await output.WriteLineAsync($"... and {JobCommands.Count(finished.LineCount - shown)} more lines (results {finished.JobId} --out FILE writes them all)").ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the job's end as one JSON document (<see cref="JobResultDocument"/>) with every result line, fetched
    /// through <paramref name="fetchLines"/> where the <see cref="JobFinished"/> does not carry them.
    /// </summary>
    public static async Task WriteJsonAsync(JobFinished finished, TextWriter output, CancellationToken cancellationToken,
        Func<long, CancellationToken, Task<JobLines>>? fetchLines = null)
    {
        var lines = new List<string>();
        await foreach (var line in AllLinesAsync(finished, fetchLines, cancellationToken).ConfigureAwait(false)) lines.Add(line);
        var summary = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in finished.Summary) summary[key] = value;
        await Console.ConsoleOutput.WriteJsonAsync(output, new JobResultDocument(finished.JobId, finished.State, finished.Reason, summary,
            finished.Done, finished.Failed, finished.Total, finished.Elapsed.TotalSeconds, finished.Failures, lines)).ConfigureAwait(false);
    }

    /// <summary>How a state reads in sentences and tables: <c>Completed with failures</c>, not <c>CompletedWithFailures</c>.</summary>
    public static string Describe(JobState state) => state == JobState.CompletedWithFailures ? "Completed with failures" : state.ToString();

    // The lines the message carries, then the rest, page by page, as the file is written: the whole result is never in memory.
    internal static async IAsyncEnumerable<string> AllLinesAsync(JobFinished finished, Func<long, CancellationToken, Task<JobLines>>? fetchLines,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var line in finished.Lines) yield return line;
        long next = finished.Lines.Count;
        while (next < finished.LineCount)
        {
            if (fetchLines is null) throw new IOException($"job {finished.JobId} has {finished.LineCount} result lines, and only the first {next} arrived");
            var page = await fetchLines(next, cancellationToken).ConfigureAwait(false);
            if (page.Lines.Count == 0) throw new IOException($"job {finished.JobId}: the seed sent no lines from line {next} of {finished.LineCount}");
            foreach (var line in page.Lines) yield return line;
            next += page.Lines.Count;
        }
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

    // Written beside the target and moved over it, so a crash, a full disk or a lost seed never leaves a half-written file.
    private static async Task<long> WriteFileAtomicallyAsync(string path, IAsyncEnumerable<string> lines, CancellationToken cancellationToken)
    {
        var full = CheckOutFile(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        long written = 0;
        try
        {
            await using (var writer = new StreamWriter(temp, append: false, new System.Text.UTF8Encoding(false)))
            {
                await foreach (var line in lines.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    await writer.WriteLineAsync(line).ConfigureAwait(false);
                    written++;
                }
            }
            File.Move(temp, full, overwrite: true);
            return written;
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

/// <summary>A finished job as <c>--json</c> writes it: its end, its summary as an object (<c>jq .summary</c>), its failed tasks and every result line.</summary>
public sealed record JobResultDocument(
    string JobId,
    JobState State,
    string? Reason,
    IReadOnlyDictionary<string, string> Summary,
    long Done,
    long Failed,
    long? Total,
    double ElapsedSeconds,
    IReadOnlyList<TaskFailure> Failures,
    IReadOnlyList<string> Lines);

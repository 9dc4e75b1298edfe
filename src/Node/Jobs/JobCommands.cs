using System.Globalization;
using System.Threading.Channels;
using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Node.Commands;
using ActorTasks.Node.Console;
using Spectre.Console;

namespace ActorTasks.Node.Jobs;

/// <summary>
/// The seed console's job commands (submit, jobs, status, watch, cancel, results, resources), talking to the job
/// manager and resource manager by messages. Each answers at once; only <c>watch</c> stays until the job ends or
/// Ctrl+C leaves it.
/// </summary>
public sealed class JobCommands(ActorSystem system, IActorRef jobManager, IActorRef resourceManager, TimeSpan askTimeout)
{
    /// <summary>The commands, to add to a <see cref="NodeConsole"/>.</summary>
    public IEnumerable<ConsoleCommand> All =>
    [
        new("submit", "submit KIND ARGS... [--fail-fast] [--max-retries N]", "start a job; answers with its id at once", SubmitAsync),
        new("jobs", "jobs", "list the jobs, running and finished", (_, c) => ListAsync(c.Output, json: false, c.CancellationToken)),
        new("status", "status ID", "a job's state and counts", (w, c) => StatusAsync(OneId(w, "status"), c.Output, c.Output, json: false, c.CancellationToken)),
        new("watch", "watch ID", "follow a job's progress live (Ctrl+C leaves the watch)",
            (w, c) => FollowAsync(OneId(w, "watch"), c.Output, c.CancellationToken), Follows: true),
        new("wait", "wait ID", "wait until a job ends, then say how (for scripts: piped in, 'watch' runs beside the next commands)", WaitAsync),
        new("cancel", "cancel ID", "stop a job; it ends Cancelled with its partial results", (w, c) => CancelAsync(OneId(w, "cancel"), c.Output, c.Output, c.CancellationToken)),
        new("results", "results ID [--out FILE]", "a finished job's results (to a file with --out)", ResultsAsync),
        new("resources", "resources", "named resources: permits, holders and waiters", (_, c) => ResourcesAsync(c.Output, c.CancellationToken)),
    ];

    /// <summary>
    /// Splits the submit options (<c>--fail-fast</c>, <c>--max-retries N</c> or <c>--max-retries=N</c>) from the job's
    /// own arguments. They are read up to the job's own <c>--</c>; it and everything after it belong to the job.
    /// </summary>
    public static (string Kind, string[] Arguments, JobOptions Options) ParseSubmit(IReadOnlyList<string> words)
    {
        if (words.Count == 0) throw new ArgumentException("KIND is missing; e.g. submit grep ERROR /var/log");
        if (words[0].StartsWith('-')) throw new ArgumentException($"KIND is missing: '{words[0]}' stands where the job kind should, e.g. submit grep ERROR /var/log");
        var arguments = new List<string>();
        var options = JobOptions.Default;
        for (var i = 1; i < words.Count; i++)
        {
            var word = words[i];
            if (word == "--")
            {
                arguments.AddRange(words.Skip(i));
                break;
            }
            if (word == "--fail-fast")
            {
                options = options with { FailFast = true };
            }
            else if (word == "--max-retries" || word.StartsWith("--max-retries=", StringComparison.Ordinal))
            {
                var value = word.Contains('=') ? word[(word.IndexOf('=') + 1)..] : i + 1 < words.Count ? words[++i] : null;
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var retries))
                    throw new ArgumentException($"--max-retries: expected a whole number of retries, e.g. --max-retries 3, not '{value}'");
                options = options with { MaxRetries = retries };
            }
            else
            {
                arguments.Add(word);
            }
        }
        return (words[0], [.. arguments], options);
    }

    /// <summary>Submits and returns the manager's answer: <see cref="JobAccepted"/> or <see cref="JobRejected"/>.</summary>
    public Task<object> SubmitAsync(string kind, IReadOnlyList<string> arguments, JobOptions options, CancellationToken cancellationToken) =>
        jobManager.Ask<object>(new SubmitJob(kind, arguments, options), askTimeout, cancellationToken);

    private async Task SubmitAsync(IReadOnlyList<string> words, ConsoleContext context)
    {
        var (kind, arguments, options) = ParseSubmit(words);
        var answer = await SubmitAsync(kind, arguments, options, context.CancellationToken);
        await context.Output.WriteLineAsync(answer switch
        {
            JobAccepted a => $"job {a.JobId} accepted ({DisplayText.Escape(a.Kind)}); 'watch {a.JobId}' follows it, 'results {a.JobId}' shows its results",
            JobRejected r => Rejected(r),
            var other => $"unexpected answer {other}",
        });
    }

    /// <summary>Lists the jobs as a table (or with <paramref name="json"/> the <see cref="JobList"/>); returns the exit code, 0.</summary>
    public async Task<int> ListAsync(TextWriter output, bool json, CancellationToken cancellationToken)
    {
        var list = await jobManager.Ask<JobList>(ListJobs.Instance, askTimeout, cancellationToken);
        if (json)
        {
            await ConsoleOutput.WriteJsonAsync(output, list);
            return ExitCodes.Ok;
        }
        if (list.Jobs.Count == 0)
        {
            await output.WriteLineAsync("no jobs yet; 'submit KIND ARGS...' starts one");
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("id", "kind", "state", "done", "failed", "total", "submitted");
        foreach (var job in list.Jobs)
        {
            table.AddRow(Markup.Escape(DisplayText.Escape(job.JobId)), Markup.Escape(DisplayText.Escape(job.Kind)), JobOutputWriter.Describe(job.State), Count(job.Done), Count(job.Failed),
                job.Total is { } total ? Count(total) : "?", job.SubmittedAt.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture));
        }
        ConsoleOutput.Write(output, table);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Writes a job's state and counts (or with <paramref name="json"/> its <see cref="JobStatusReport"/>); returns the
    /// exit code for its state (<see cref="ExitCodes.For"/>), or <see cref="ExitCodes.BadArguments"/> for an unknown id.
    /// </summary>
    public async Task<int> StatusAsync(string id, TextWriter output, TextWriter error, bool json, CancellationToken cancellationToken)
    {
        switch (await jobManager.Ask<object>(new GetJobStatus(id), askTimeout, cancellationToken))
        {
            case JobStatusReport s when json:
                await ConsoleOutput.WriteJsonAsync(output, s);
                return ExitCodes.For(s.State);
            case JobStatusReport s:
                await output.WriteLineAsync($"{s.JobId} {DisplayText.Escape(s.Kind)} {DisplayText.Escape(s.Arguments)}: {JobOutputWriter.Describe(s.State)}, {Count(s.Done)} done, {Count(s.Failed)} failed of {(s.Total is { } t ? Count(t) : "?")}" +
                    (s.RunAgain > 0 ? $", {Count(s.RunAgain)} handed out again" : ""));
                return ExitCodes.For(s.State);
            case var other:
                return await UnexpectedAsync(other, error);
        }
    }

    /// <summary>Asks to cancel a job; returns 0 when it is being cancelled or had already finished, <see cref="ExitCodes.BadArguments"/> for an unknown id.</summary>
    public async Task<int> CancelAsync(string id, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        switch (await jobManager.Ask<object>(new CancelJob(id), askTimeout, cancellationToken))
        {
            case JobCancelling c:
                await output.WriteLineAsync($"job {c.JobId} is being cancelled; its partial results will be under 'results {c.JobId}'");
                return ExitCodes.Ok;
            case JobAlreadyFinished f:
                await output.WriteLineAsync($"job {f.JobId} had already finished ({f.State})");
                return ExitCodes.Ok;
            case var other:
                return await UnexpectedAsync(other, error);
        }
    }

    private async Task ResultsAsync(IReadOnlyList<string> words, ConsoleContext context)
    {
        string? outFile = null;
        var rest = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i] == "--out")
            {
                outFile = i + 1 < words.Count ? JobOutputWriter.CheckOutFile(words[++i]) : throw new ArgumentException("--out: FILE is missing");
            }
            else
            {
                rest.Add(words[i]);
            }
        }
        await ResultsAsync(OneId(rest, "results"), outFile, context.Output, context.Output, json: false, context.CancellationToken);
    }

    /// <summary>
    /// Writes a finished job's results (to <paramref name="outFile"/> when given; with <paramref name="json"/> as one
    /// document with every line); returns the exit code for how the job ended, <see cref="ExitCodes.Failed"/> for a job
    /// still running (it has no results yet) and <see cref="ExitCodes.BadArguments"/> for an unknown id.
    /// </summary>
    public async Task<int> ResultsAsync(string id, string? outFile, TextWriter output, TextWriter error, bool json, CancellationToken cancellationToken)
    {
        switch (await jobManager.Ask<object>(new GetJobResults(id), askTimeout, cancellationToken))
        {
            case JobFinished finished:
                await WriteFinishedAsync(finished, output, outFile, json, cancellationToken);
                return ExitCodes.For(finished.State);
            case JobStatusReport running:
                await error.WriteLineAsync(StillRunning(running));
                return ExitCodes.Failed;
            case var other:
                return await UnexpectedAsync(other, error);
        }
    }

    /// <summary>Writes a finished job's end and results: as text (lines to <paramref name="outFile"/> when given) or as one JSON document.</summary>
    public Task WriteFinishedAsync(JobFinished finished, TextWriter output, string? outFile, bool json, CancellationToken cancellationToken) => json
        ? JobOutputWriter.WriteJsonAsync(finished, output, cancellationToken, LinesOf(finished.JobId))
        : JobOutputWriter.WriteAsync(finished, output, outFile, cancellationToken, LinesOf(finished.JobId));

    /// <summary>Writes the resources as a table; returns the exit code, 0.</summary>
    public async Task<int> ResourcesAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var report = await resourceManager.Ask<ResourcesReport>(GetResources.Instance, askTimeout, cancellationToken);
        if (report.Resources.Count == 0)
        {
            await output.WriteLineAsync("no resources defined (set actortasks.tasks.resources, or a job kind declares them)");
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("resource", "permits", "free", "holders", "waiting");
        foreach (var r in report.Resources)
        {
            table.AddRow(Markup.Escape(r.Name), Count(r.Permits), Count(r.Available),
                Markup.Escape(string.Join(", ", r.Holders.Select(h => $"{h.Holder} ({h.Permits})"))),
                Markup.Escape(string.Join(", ", r.Waiters.Select(w => $"{w.Waiter} ({w.Permits})"))));
        }
        ConsoleOutput.Write(output, table);
        return ExitCodes.Ok;
    }

    private static async Task<int> UnexpectedAsync(object answer, TextWriter error)
    {
        if (answer is JobUnknown u)
        {
            await error.WriteLineAsync(UnknownJob(u.JobId));
            return ExitCodes.BadArguments;
        }
        await error.WriteLineAsync($"unexpected answer from the job manager: {answer.GetType().Name}");
        return ExitCodes.Failed;
    }

    /// <summary>Follows a job: a live progress bar on a terminal, a line per update otherwise; returns the final result (null if left early).</summary>
    public Task<JobFinished?> WatchAsync(string jobId, TextWriter output, CancellationToken cancellationToken) =>
        WatchEventsAsync(jobId, output, cancellationToken);

    /// <summary>
    /// Submits a job and follows it to its end, as its submitter (so its outcome is never missed): the manager's answer
    /// (<see cref="JobAccepted"/> or <see cref="JobRejected"/>, written by <paramref name="onAnswer"/>) and the result
    /// (null when rejected or when the watch is left early). Throws <see cref="AskTimeoutException"/> when the manager
    /// does not answer within the ask timeout, <see cref="JobManagerLostException"/> when it goes away.
    /// </summary>
    public async Task<(object Answer, JobFinished? Finished)> SubmitAndWatchAsync(string kind, IReadOnlyList<string> arguments, JobOptions options,
        TextWriter output, Func<object, Task> onAnswer, CancellationToken cancellationToken)
    {
        var events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var bridge = system.ActorOf(Props.Create(() => new JobWatchBridge(jobManager, new SubmitJob(kind, arguments, options), null, events.Writer)));
        try
        {
            using var answerTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            answerTimeout.CancelAfter(askTimeout);
            object answer;
            try
            {
                answer = await events.Reader.ReadAsync(answerTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AskTimeoutException($"the seed's job manager did not answer within {askTimeout.TotalSeconds:0.#} s");
            }
            catch (ChannelClosedException e) when (e.InnerException is JobManagerLostException lost)
            {
                throw lost;
            }
            await onAnswer(answer).ConfigureAwait(false);
            if (answer is not JobAccepted accepted) return (answer, null);
            return (answer, await JobProgressView.ShowAsync(accepted.JobId, events.Reader, output, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            system.Stop(bridge);
        }
    }

    private async Task<JobFinished?> WatchEventsAsync(string jobId, TextWriter output, CancellationToken cancellationToken)
    {
        var events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var bridge = system.ActorOf(Props.Create(() => new JobWatchBridge(jobManager, null, jobId, events.Writer)));
        try
        {
            return await JobProgressView.ShowAsync(jobId, events.Reader, output, cancellationToken);
        }
        finally
        {
            system.Stop(bridge);
        }
    }

    /// <summary>
    /// Follows a job to its end and says how it ended; returns the exit code for that (<see cref="ExitCodes.For"/>),
    /// <see cref="ExitCodes.Interrupted"/> when <paramref name="cancellationToken"/> left the watch, and
    /// <see cref="ExitCodes.BadArguments"/> for an unknown id.
    /// </summary>
    public async Task<int> FollowAsync(string id, TextWriter output, CancellationToken cancellationToken)
    {
        var finished = await WatchAsync(id, output, cancellationToken);
        if (finished is null)
            return cancellationToken.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.BadArguments; // the view said which
        await output.WriteLineAsync($"job {finished.JobId} {JobOutputWriter.Describe(finished.State)}: {Count(finished.Done)} done, {Count(finished.Failed)} failed in {finished.Elapsed.TotalSeconds:0.0} s; 'results {finished.JobId}' shows them");
        return ExitCodes.For(finished.State);
    }

    private async Task WaitAsync(IReadOnlyList<string> words, ConsoleContext context)
    {
        var id = OneId(words, "wait");
        var finished = await WatchAsync(id, TextWriter.Null, context.CancellationToken);
        await context.Output.WriteLineAsync(finished is null
            ? UnknownJob(id)
            : $"job {finished.JobId} {JobOutputWriter.Describe(finished.State)}: {Count(finished.Done)} done, {Count(finished.Failed)} failed");
    }

    /// <summary>Fetches pages of a finished job's result lines from the job manager (for <see cref="JobOutputWriter"/>).</summary>
    public Func<long, CancellationToken, Task<JobLines>> LinesOf(string jobId) => async (from, cancellationToken) =>
        await jobManager.Ask<object>(new GetJobLines(jobId, from, int.MaxValue), askTimeout, cancellationToken).ConfigureAwait(false) switch
        {
            JobLines lines => lines,
            JobUnknown => throw new IOException($"job {jobId} is no longer kept by the seed (actortasks.tasks.finished-jobs-kept); its lines from {from} on are lost"),
            var other => throw new IOException($"job {jobId}: unexpected answer {other.GetType().Name} to a request for its lines"),
        };

    /// <summary>What the console says of a job id the manager does not know (the dashboard's 404 says the same).</summary>
    public static string UnknownJob(string id) => $"no job '{DisplayText.Escape(id)}'; 'jobs' lists them";

    /// <summary>What the console says of a refused submit (the dashboard's 400 says the same).</summary>
    public static string Rejected(JobRejected r) => $"rejected: {Rejection(r)}";

    /// <summary>What the console says when results are asked of a job still running.</summary>
    public static string StillRunning(JobStatusReport running) =>
        $"job {running.JobId} is still {running.State}: {Count(running.Done)} done so far; 'watch {running.JobId}' follows it";

    /// <summary>"ARGUMENT: reason", the argument named once even when the reason already starts with it.</summary>
    public static string Rejection(JobRejected r) => DisplayText.Escape(
        r.Argument is null || r.Reason.StartsWith(r.Argument + ":", StringComparison.Ordinal) ? r.Reason : $"{r.Argument}: {r.Reason}");

    private static string OneId(IReadOnlyList<string> words, string command) => words.Count == 1
        ? words[0]
        : throw new ArgumentException($"expected one job id, e.g. '{command} 3'");

    internal static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

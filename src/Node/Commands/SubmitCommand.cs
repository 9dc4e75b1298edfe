using System.CommandLine;
using ActorTasks.Messages;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Console;
using ActorTasks.Node.Jobs;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.Jobs;

namespace ActorTasks.Node.Commands;

/// <summary>
/// <c>actortasks submit KIND ARGS... --seed HOST:PORT [--wait] [--out FILE]</c>: joins as a client, submits a job and,
/// with --wait, shows its progress and prints its result; the exit code says how it ended.
/// </summary>
public static class SubmitCommand
{
    /// <summary>
    /// Exit codes: the job completed (0), failed or the seed could not be reached (1), was refused (2), was cancelled (3),
    /// completed with failed tasks (4), or the watch was left (130).
    /// </summary>
    public const int CompletedExitCode = ExitCodes.Ok, FailedExitCode = ExitCodes.Failed, RejectedExitCode = ExitCodes.BadArguments,
        CancelledExitCode = ExitCodes.Cancelled, CompletedWithFailuresExitCode = ExitCodes.CompletedWithFailures, InterruptedExitCode = ExitCodes.Interrupted;

    // This command's own options. Before the job's kind they are taken in any form; after it only in their long form,
    // wherever they are, so that a job's short options (grep -w) and its own "--" stay the job's.
    private static readonly string[] LongWithValue = ["--seed", "--out", "--config", "--define", "--port", "--tls-cert", "--parent-pid"];
    private static readonly string[] ShortWithValue = ["-s", "-o", "-c", "-D", "-p"];
    private static readonly string[] LongFlags = ["--wait", "--json", "--help"];
    private static readonly string[] ShortFlags = ["-w", "-h", "-?"];

    public static Command Create()
    {
        var wait = new Option<bool>("--wait", "-w") { Description = "Follow the job's progress, print its result, and exit with how it ended" };
        var outFile = new Option<string?>("--out", "-o") { Description = "With --wait, write the result lines to FILE", HelpName = "FILE" };
        var json = new Option<bool>("--json") { Description = "Write the answer (with --wait: the job's end, summary and every result line) as one JSON document on standard output; progress goes to standard error" };
        var job = new Argument<string[]>("job") { Description = "The job kind and its arguments, e.g. grep ERROR /var/log --glob '*.log'", Arity = ArgumentArity.OneOrMore };
        // The kind is the job's first word: the kinds are offered there, and nothing after it (the job's own words).
        job.CompletionSources.Add(context =>
            (context.ParseResult.GetResult(job)?.Tokens.Count ?? 0) > (context.WordToComplete.Length > 0 ? 1 : 0)
                ? []
                : KindNames(context.ParseResult));
        return SeedClient.Create("submit", "Submit a job to a running cluster from another shell", parseResult =>
        {
            var submit = JobCommands.ParseSubmit(parseResult.GetValue(job)!);
            var file = parseResult.GetValue(outFile);
            if (file is not null)
            {
                if (!parseResult.GetValue(wait)) throw new ArgumentException("--out: needs --wait (the result is written when the job ends)");
                if (parseResult.GetValue(json)) throw new ArgumentException("--out, --json: choose one (--json writes every line into the document)");
                JobOutputWriter.CheckOutFile(file);
            }
            return client => SubmitAsync(client, submit, parseResult.GetValue(wait), file, parseResult.GetValue(json));
        }, wait, outFile, json, job);
    }

    /// <summary>
    /// The kinds offered for completion: the built-in ones and the plug-ins in the folder this command's settings name
    /// (<c>actortasks.tasks.plugins-directory</c>, with its <c>--config</c>, <c>-D</c> and environment), as a seed
    /// started here with the same settings would load them. Settings that cannot be read leave the built-in kinds.
    /// </summary>
    internal static IEnumerable<string> KindNames(ParseResult parseResult)
    {
        var kinds = JobKindRegistry.CreateBuiltIn();
        try
        {
            var config = NodeConfig.Load(null, parseResult.GetValue<string?>("--config"), parseResult.GetValue<string[]>("--define") ?? [], Environment.GetEnvironmentVariables());
            kinds.LoadPlugins(Path.GetFullPath(NodeSettings.Create(config).PluginsDirectory));
        }
        catch (Exception e) when (e is ConfigException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // completion offers what it can; the command itself names the problem when it runs
        }
        return kinds.All.Select(k => k.Name);
    }

    private static async Task<int> SubmitAsync(SeedClientContext client, (string Kind, string[] Arguments, JobOptions Options) submit, bool wait, string? outFile, bool json)
    {
        var (host, commands, error) = (client.Host, client.Jobs, client.Error);
        // With --json, standard output carries the one document: everything else goes to standard error.
        var output = json ? error : client.Output;
        // Paths are the user's, relative to where they typed them: absolute, the seed and every worker find the same files.
        try
        {
            if (host.Kinds.TryGet(submit.Kind, out var kind))
                submit = submit with { Arguments = [.. kind.ResolvePaths(submit.Arguments, Environment.CurrentDirectory)] };
        }
        catch (Exception e)
        {
            // A plug-in's own code: the seed prepares the arguments as given, and names any problem.
            host.Log.Warning(e, "job kind {Kind} could not resolve its paths here", submit.Kind);
        }
        if (JobLimits.ArgumentBytes(submit.Arguments) is var size and > JobLimits.MaxArgumentBytes)
        {
            await error.WriteLineAsync($"rejected: ARGS: the job's arguments are {size:N0} bytes, more than the {JobLimits.MaxArgumentBytes:N0} a job may carry to every node");
            return RejectedExitCode;
        }
        if (!wait)
        {
            var answer = await commands.SubmitAsync(submit.Kind, submit.Arguments, submit.Options, client.Cancellation);
            if (json && answer is JobAccepted accepted) await ConsoleOutput.WriteJsonAsync(client.Output, accepted);
            else await WriteAnswerAsync(answer, output, error);
            return answer is JobRejected ? RejectedExitCode : CompletedExitCode;
        }
        var (reply, finished) = await commands.SubmitAndWatchAsync(submit.Kind, submit.Arguments, submit.Options, output,
            a => WriteAnswerAsync(a, output, error), client.Cancellation);
        if (reply is JobRejected) return RejectedExitCode;
        if (finished is null) return InterruptedExitCode;
        await commands.WriteFinishedAsync(finished, client.Output, outFile, json, client.Cancellation);
        return ExitCodeFor(finished.State);
    }

    /// <summary>How <c>submit --wait</c> exits for a job that ended in <paramref name="state"/>.</summary>
    internal static int ExitCodeFor(JobState state) => state == JobState.Running ? FailedExitCode : ExitCodes.For(state);

    private static Task WriteAnswerAsync(object answer, TextWriter output, TextWriter error) => answer switch
    {
        JobAccepted accepted => output.WriteLineAsync($"job {accepted.JobId} accepted ({accepted.Kind})"),
        JobRejected rejected => error.WriteLineAsync($"rejected: {JobCommands.Rejection(rejected)}"),
        var other => error.WriteLineAsync($"unexpected answer from the seed: {other.GetType().Name}"),
    };

    /// <summary>
    /// Puts the job's own words after <c>--</c>, so that options of the job kind (<c>--glob</c>, <c>--column</c>) are not
    /// taken for options of this command: <c>submit grep x . --glob '*.log' --seed h:1</c> becomes
    /// <c>submit --seed h:1 -- grep x . --glob '*.log'</c>.
    /// </summary>
    /// <remarks>
    /// Before the kind, this command's options are taken in any form, and a <c>--</c> there passes everything after it
    /// to the job unread (the way to give a job a word that equals one of this command's long options). After the kind,
    /// only this command's long options are taken, wherever they are; everything else, short options and the job's own
    /// <c>--</c> included, belongs to the job. <c>--fail-fast</c> and <c>--max-retries</c> before the kind go with the job.
    /// </remarks>
    public static string[] SeparateJobWords(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != "submit") return args;
        var own = new List<string> { "submit" };
        var jobOptions = new List<string>();
        var i = 1;
        while (i < args.Length)
        {
            if (args[i] == "--") return [.. own, .. args[i..]];
            if (TakeOwn(args, ref i, own, allowShort: true)) continue;
            var name = args[i].Split('=', 2)[0];
            if (name is "--fail-fast" or "--max-retries")
            {
                jobOptions.Add(args[i++]);
                if (name == "--max-retries" && !args[i - 1].Contains('=') && i < args.Length) jobOptions.Add(args[i++]);
                continue;
            }
            break;
        }
        if (i == args.Length) return [.. own, "--", .. jobOptions];
        var job = new List<string> { args[i++] };
        job.AddRange(jobOptions);
        while (i < args.Length)
        {
            if (!TakeOwn(args, ref i, own, allowShort: false)) job.Add(args[i++]);
        }
        return [.. own, "--", .. job];
    }

    private static bool TakeOwn(string[] args, ref int i, List<string> own, bool allowShort)
    {
        var word = args[i];
        var name = word.Split('=', 2)[0];
        if (LongWithValue.Contains(name) || (allowShort && ShortWithValue.Contains(name)))
        {
            own.Add(word);
            i++;
            if (!word.Contains('=') && i < args.Length) own.Add(args[i++]);
            return true;
        }
        if ((allowShort && word.StartsWith("-D", StringComparison.Ordinal) && word.Length > 2) || LongFlags.Contains(word) || (allowShort && ShortFlags.Contains(word)))
        {
            own.Add(word);
            i++;
            return true;
        }
        return false;
    }
}

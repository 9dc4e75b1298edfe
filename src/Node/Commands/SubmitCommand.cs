using System.CommandLine;
using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Jobs;

namespace ActorTasks.Node.Commands;

/// <summary>
/// <c>actortasks submit KIND ARGS... --seed HOST:PORT [--wait] [--out FILE]</c>: joins as a client, submits a job and,
/// with --wait, shows its progress and prints its result; the exit code says how it ended.
/// </summary>
public static class SubmitCommand
{
    /// <summary>Exit codes: the job completed (0), failed (1), was refused (2), was cancelled (3), or the watch was left (130).</summary>
    public const int CompletedExitCode = 0, FailedExitCode = 1, RejectedExitCode = 2, CancelledExitCode = 3, InterruptedExitCode = 130;

    /// <summary>The options of this command, which may appear anywhere among the job's own arguments.</summary>
    internal static readonly string[] OwnOptionsWithValue = ["--seed", "-s", "--out", "-o", "--config", "-c", "--define", "-D", "--port", "-p", "--tls-cert", "--parent-pid"];
    internal static readonly string[] OwnFlags = ["--wait", "-w", "--help", "-h", "-?"];

    public static Command Create()
    {
        var options = new NodeCommandOptions("0, any free port");
        var seed = new Option<string>("--seed", "-s") { Description = "The seed to submit to, HOST:PORT", HelpName = "HOST:PORT", Required = true };
        var wait = new Option<bool>("--wait", "-w") { Description = "Follow the job's progress, print its result, and exit with how it ended" };
        var outFile = new Option<string?>("--out", "-o") { Description = "With --wait, write the result lines to FILE", HelpName = "FILE" };
        var job = new Argument<string[]>("job") { Description = "The job kind and its arguments, e.g. grep ERROR /var/log --glob '*.log'", Arity = ArgumentArity.OneOrMore };
        var command = new Command("submit", "Submit a job to a running cluster from another shell");
        options.AddTo(command);
        command.Options.Add(seed);
        command.Options.Add(wait);
        command.Options.Add(outFile);
        command.Arguments.Add(job);
        command.SetAction(async (parseResult, _) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            SeedEndpoint seedAddress;
            (string Kind, string[] Arguments, JobOptions Options) submit;
            try
            {
                seedAddress = SeedEndpoint.Parse(parseResult.GetValue(seed)!, "--seed");
                submit = JobCommands.ParseSubmit(parseResult.GetValue(job)!);
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync(e.Message);
                return RejectedExitCode;
            }
            var exit = CompletedExitCode;
            var run = await NodeRunner.RunAsync(parseResult, options, NodeRole.Client, seedAddress, async (host, signal, stop) =>
            {
                exit = await SubmitAsync(host, signal, submit, parseResult.GetValue(wait), parseResult.GetValue(outFile), output, error, stop.Token);
            }, quiet: true);
            return run != 0 ? run : exit;
        });
        return command;
    }

    private static async Task<int> SubmitAsync(NodeHost host, ShutdownSignal signal, (string Kind, string[] Arguments, JobOptions Options) submit,
        bool wait, string? outFile, TextWriter output, TextWriter error, CancellationToken stop)
    {
        var commands = new JobCommands(host.System, host.JobManager, host.ResourceManager, host.System.Settings.AskTimeout);
        object answer;
        try
        {
            answer = await commands.SubmitAsync(submit.Kind, submit.Arguments, submit.Options, stop);
        }
        catch (AskTimeoutException e)
        {
            await error.WriteLineAsync($"could not reach the seed's job manager at {host.JobManager.Path}: {e.Message}");
            return FailedExitCode;
        }
        if (answer is JobRejected rejected)
        {
            await error.WriteLineAsync($"rejected: {JobCommands.Rejection(rejected)}");
            return RejectedExitCode;
        }
        var accepted = (JobAccepted)answer;
        await output.WriteLineAsync($"job {accepted.JobId} accepted ({accepted.Kind})");
        if (!wait) return CompletedExitCode;

        using var watch = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var _ = signal.RedirectInterrupt(watch);
        var finished = await commands.WatchAsync(accepted.JobId, output, watch.Token);
        if (finished is null) return InterruptedExitCode;
        await JobOutputWriter.WriteAsync(finished, output, outFile, CancellationToken.None);
        return finished.State switch
        {
            JobState.Completed => CompletedExitCode,
            JobState.Cancelled => CancelledExitCode,
            _ => FailedExitCode,
        };
    }

    /// <summary>
    /// Puts the job's own words after <c>--</c>, so that options of the job kind (<c>--glob</c>, <c>--column</c>) are not
    /// taken for options of this command: <c>submit grep x . --glob '*.log' --seed h:1</c> becomes
    /// <c>submit --seed h:1 -- grep x . --glob '*.log'</c>.
    /// </summary>
    public static string[] SeparateJobWords(string[] args)
    {
        if (args.Length == 0 || args[0] != "submit" || args.Contains("--")) return args;
        var own = new List<string> { "submit" };
        var jobWords = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var word = args[i];
            var name = word.Split('=', 2)[0];
            if (OwnOptionsWithValue.Contains(name))
            {
                own.Add(word);
                if (!word.Contains('=') && i + 1 < args.Length) own.Add(args[++i]);
            }
            else if (OwnFlags.Contains(word) || word.StartsWith("-D", StringComparison.Ordinal) && word.Length > 2)
            {
                own.Add(word);
            }
            else
            {
                jobWords.Add(word);
            }
        }
        return [.. own, "--", .. jobWords];
    }
}

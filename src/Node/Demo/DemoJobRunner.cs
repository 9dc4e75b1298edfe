using System.Diagnostics;
using System.Threading.Channels;
using Akka.Actor;
using ActorTasks.Messages;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Jobs;

namespace ActorTasks.Node.Demo;

/// <summary>A finished demo job: its result, its last progress event (with tasks per node), and how long it took from submit.</summary>
internal sealed record DemoJob(JobFinished Finished, JobProgress? LastProgress, TimeSpan Elapsed);

/// <summary>Submits the demo's jobs from a client node and follows each one, printing its progress as it goes.</summary>
internal sealed class DemoJobRunner(NodeHost client, TextWriter output, Func<string, string> nodeName)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(1);

    private readonly JobCommands _commands = new(client.System, client.JobManager, client.ResourceManager, client.System.Settings.AskTimeout);

    /// <summary>Submits a job and waits for its end; null (after saying why) when the job manager refused it.</summary>
    public async Task<DemoJob?> RunAsync(string kind, IReadOnlyList<string> arguments, CancellationToken stop)
    {
        await output.WriteLineAsync($"  submit {kind} {string.Join(' ', arguments.Select(Quote))}");
        var clock = Stopwatch.StartNew();
        var answer = await _commands.SubmitAsync(kind, arguments, JobOptions.Default, stop);
        if (answer is JobRejected rejected)
        {
            await output.WriteLineAsync($"  rejected: {JobCommands.Rejection(rejected)}");
            return null;
        }
        var jobId = ((JobAccepted)answer).JobId;
        await output.WriteLineAsync($"  job {jobId} accepted; progress:");

        var events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var bridge = client.System.ActorOf(Props.Create(() => new JobWatchBridge(client.JobManager, null, jobId, events.Writer)));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(JobTimeout);
        JobProgress? last = null;
        JobFinished? finished = null;
        TimeSpan? shown = null;
        try
        {
            await foreach (var e in events.Reader.ReadAllAsync(limit.Token))
            {
                if (e is JobProgress p)
                {
                    last = p;
                    if (shown is { } at && clock.Elapsed - at < LineInterval) continue;
                    shown = clock.Elapsed;
                    await output.WriteLineAsync("    " + Describe(p));
                }
                else if (e is JobFinished f)
                {
                    finished = f;
                }
            }
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            throw new TimeoutException($"job {jobId} ({kind}) did not finish within {JobTimeout.TotalSeconds:0} s");
        }
        finally
        {
            client.System.Stop(bridge);
        }
        if (finished is null) throw new InvalidOperationException($"the seed forgot job {jobId} ({kind}) before it finished");
        if (last is not null) await output.WriteLineAsync("    " + Describe(last));
        await output.WriteLineAsync(
            $"  job {jobId} {finished.State}{(finished.Reason is { } r ? $" ({r})" : "")}: {JobCommands.Count(finished.Done)} tasks done, " +
            $"{JobCommands.Count(finished.Failed)} failed, {clock.Elapsed.TotalSeconds:0.00} s from submit to result");
        return new DemoJob(finished, last, clock.Elapsed);
    }

    // Done of total, rate, and who ran the tasks: worker names instead of addresses.
    private string Describe(JobProgress p)
    {
        var total = p.Total is { } t ? JobCommands.Count(t) : "?";
        var nodes = string.Join(", ", p.PerNode.OrderBy(n => nodeName(n.Key), StringComparer.Ordinal)
            .Select(n => $"{nodeName(n.Key)} {JobCommands.Count(n.Value)}"));
        var counters = string.Join(", ", p.Counters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {JobCommands.Count(c.Value)}"));
        return $"{JobCommands.Count(p.Done)}/{total} tasks done" +
            (counters.Length > 0 ? $" · {counters}" : "") +
            (nodes.Length > 0 ? $" · tasks by node: {nodes}" : "");
    }

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or ',') ? word : $"'{word}'";
}

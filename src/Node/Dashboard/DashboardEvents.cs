using System.Text.Json;
using System.Threading.Channels;
using ActorTasks.Messages;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Jobs;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorTasks.Node.Dashboard;

/// <summary>
/// Live updates for the page as Server-Sent Events. <c>/api/events</c>: the members, jobs and resources (the documents
/// of <c>/api/nodes</c>, <c>/api/jobs</c>, <c>/api/resources</c>), each sent when it differs from what was sent last,
/// looked at every <see cref="Period"/>. <c>/api/jobs/{id}/events</c>: a job's progress as the job manager pushes it to
/// a watcher (the same one <c>watch</c> uses), then <c>finished</c>.
/// </summary>
internal sealed class DashboardEvents(NodeHost host, TimeSpan askTimeout, CancellationToken stopping)
{
    /// <summary>How often the cluster, jobs and resources are looked at for changes.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    public void Map(WebApplication app)
    {
        app.MapGet("/api/events", OverviewAsync);
        app.MapGet("/api/jobs/{id}/events", JobAsync);
    }

    private async Task OverviewAsync(HttpContext context)
    {
        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        await StartAsync(context);
        var sent = new Dictionary<string, string>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(Period);
        try
        {
            do
            {
                await SendIfChangedAsync(context, sent, "nodes", host.Members.Ask<MembersReport>(GetMembers.Instance, askTimeout, end.Token));
                await SendIfChangedAsync(context, sent, "jobs", host.JobManager.Ask<JobList>(ListJobs.Instance, askTimeout, end.Token));
                await SendIfChangedAsync(context, sent, "resources", host.ResourceManager.Ask<ResourcesReport>(GetResources.Instance, askTimeout, end.Token));
            }
            while (await timer.WaitForNextTickAsync(end.Token));
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
        }
    }

    // A manager that does not answer (a seed taking over) is said once per change, and asked again next time.
    private static async Task SendIfChangedAsync<T>(HttpContext context, Dictionary<string, string> sent, string name, Task<T> answer)
    {
        string data;
        try
        {
            data = JsonSerializer.Serialize(await answer, DashboardApi.Json);
        }
        catch (AskTimeoutException e)
        {
            data = JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = $"no answer about the {name}: {e.Message}" }, DashboardApi.Json);
            name = "problem";
        }
        if (sent.TryGetValue(name, out var last) && last == data) return;
        sent[name] = data;
        await SendAsync(context, name, data);
    }

    private async Task JobAsync(HttpContext context, string id)
    {
        // An unknown job is a 404 before the stream starts, as for /api/jobs/{id}.
        if (await host.JobManager.Ask<object>(new GetJobStatus(id), askTimeout, context.RequestAborted) is JobUnknown unknown)
        {
            await DashboardApi.ErrorAsync(context, StatusCodes.Status404NotFound, JobCommands.UnknownJob(unknown.JobId));
            return;
        }
        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var bridge = host.System.ActorOf(Props.Create(() => new JobWatchBridge(host.JobManager, null, id, events.Writer)));
        try
        {
            await StartAsync(context);
            await foreach (var e in events.Reader.ReadAllAsync(end.Token))
            {
                switch (e)
                {
                    case JobProgress p:
                        await SendAsync(context, "progress", JsonSerializer.Serialize(p, DashboardApi.Json));
                        break;
                    case JobStatusReport s:
                        await SendAsync(context, "status", JsonSerializer.Serialize(s, DashboardApi.Json));
                        break;
                    case JobFinished f:
                        // The page fetches the results itself; the lines are not pushed.
                        await SendAsync(context, "finished", JsonSerializer.Serialize(new { f.JobId, f.State, f.Done, f.Failed, f.Total, f.Reason }, DashboardApi.Json));
                        break;
                    case JobUnknown u:
                        await SendAsync(context, "problem", JsonSerializer.Serialize(new { error = JobCommands.UnknownJob(u.JobId) }, DashboardApi.Json));
                        break;
                }
            }
        }
        catch (Exception e) when (((e as ChannelClosedException)?.InnerException ?? e) is JobManagerLostException lost)
        {
            await SendAsync(context, "problem", JsonSerializer.Serialize(new { error = lost.Message }, DashboardApi.Json));
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
        }
        finally
        {
            host.System.Stop(bridge);
        }
    }

    private static async Task StartAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static async Task SendAsync(HttpContext context, string name, string data)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {data}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}

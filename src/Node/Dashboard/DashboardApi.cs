using System.Text;
using System.Text.Json;
using ActorTasks.Messages;
using ActorTasks.Node.Console;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Jobs;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorTasks.Node.Dashboard;

/// <summary>
/// The JSON API under <c>/api</c> the page uses: the same messages to the same actors as the console and the CLI, the
/// same documents as their <c>--json</c> (<see cref="ConsoleOutput.Json"/>'s names), and the console's messages in
/// <c>{"error": …}</c> for what it refuses (400 for a bad submit, 404 for an unknown job).
/// </summary>
internal sealed class DashboardApi(NodeHost host, JobCommands jobs, TimeSpan askTimeout)
{
    /// <summary>The CLI's <c>--json</c> documents on one line (a Server-Sent Event's data is one line).</summary>
    public static readonly JsonSerializerOptions Json = new(ConsoleOutput.Json) { WriteIndented = false };

    /// <summary>A submit: the kind and its arguments as a list, or as one line split as the console splits it (<c>line</c>).</summary>
    public sealed record SubmitRequest(string? Kind, IReadOnlyList<string>? Arguments, string? Line);

    /// <summary>A job kind the seed can run, and how its arguments read.</summary>
    public sealed record KindInfo(string Name, string Usage);

    public void Map(WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/nodes", async context => await AnswerAsync(context, await host.Members.Ask<MembersReport>(GetMembers.Instance, askTimeout, context.RequestAborted)));
        api.MapGet("/jobs", async context => await AnswerAsync(context, await host.JobManager.Ask<JobList>(ListJobs.Instance, askTimeout, context.RequestAborted)));
        api.MapGet("/jobs/{id}", async (HttpContext context, string id) =>
            await AnswerAsync(context, await host.JobManager.Ask<object>(new GetJobStatus(id), askTimeout, context.RequestAborted)));
        api.MapGet("/jobs/{id}/results", ResultsAsync);
        api.MapGet("/resources", async context => await AnswerAsync(context, await host.ResourceManager.Ask<ResourcesReport>(GetResources.Instance, askTimeout, context.RequestAborted)));
        api.MapGet("/kinds", context => AnswerAsync(context, host.Kinds.All.Select(k => new KindInfo(k.Name, k.Usage)).ToList()));
        api.MapPost("/jobs", SubmitAsync);
        api.MapPost("/jobs/{id}/cancel", async (HttpContext context, string id) =>
            await AnswerAsync(context, await host.JobManager.Ask<object>(new CancelJob(id), askTimeout, context.RequestAborted)));
    }

    private async Task SubmitAsync(HttpContext context)
    {
        SubmitRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<SubmitRequest>(context.Request.Body, Json, context.RequestAborted);
        }
        catch (JsonException e)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, $"request body: expected JSON such as {{\"kind\": \"primes\", \"arguments\": [\"0\", \"1000000\"]}} ({e.Message})");
            return;
        }
        (string Kind, string[] Arguments, JobOptions Options) submit;
        try
        {
            // Without a kind, the console's own message for a missing KIND.
            var words = new List<string>();
            if (request?.Kind is { Length: > 0 } kind)
            {
                words.Add(kind.Trim());
                if (request.Line is { } line) words.AddRange(CommandLineSplitter.Split(line));
                if (request.Arguments is { } arguments) words.AddRange(arguments);
            }
            submit = JobCommands.ParseSubmit(words);
        }
        catch (ArgumentException e)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, e.Message);
            return;
        }
        await AnswerAsync(context, await jobs.SubmitAsync(submit.Kind, submit.Arguments, submit.Options, context.RequestAborted));
    }

    private async Task ResultsAsync(HttpContext context, string id, string? format)
    {
        switch (await host.JobManager.Ask<object>(new GetJobResults(id), askTimeout, context.RequestAborted))
        {
            case JobFinished finished when format == "text":
                context.Response.ContentType = "text/plain; charset=utf-8";
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"job-{FileName(finished.JobId)}.txt\"";
                await using (var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), leaveOpen: true))
                {
                    await foreach (var line in JobOutputWriter.AllLinesAsync(finished, jobs.LinesOf(finished.JobId), context.RequestAborted))
                        await writer.WriteLineAsync(line);
                }
                break;
            case JobFinished finished:
                context.Response.ContentType = "application/json; charset=utf-8";
                if (format == "json") context.Response.Headers.ContentDisposition = $"attachment; filename=\"job-{FileName(finished.JobId)}.json\"";
                await using (var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), leaveOpen: true))
                {
                    await jobs.WriteFinishedAsync(finished, writer, null, json: true, context.RequestAborted);
                }
                break;
            case JobStatusReport running:
                await ErrorAsync(context, StatusCodes.Status409Conflict, JobCommands.StillRunning(running));
                break;
            case var other:
                await AnswerAsync(context, other);
                break;
        }
    }

    /// <summary>Writes an actor's answer: the document itself, the console's message for an unknown job (404) or a refused submit (400).</summary>
    private static Task AnswerAsync(HttpContext context, object answer) => answer switch
    {
        JobUnknown u => ErrorAsync(context, StatusCodes.Status404NotFound, JobCommands.UnknownJob(u.JobId)),
        JobRejected r => ErrorAsync(context, StatusCodes.Status400BadRequest, JobCommands.Rejected(r)),
        JobAccepted a => WriteJsonAsync(context, StatusCodes.Status201Created, a),
        JobCancelling c => WriteJsonAsync(context, StatusCodes.Status202Accepted, c),
        _ => WriteJsonAsync(context, StatusCodes.Status200OK, answer),
    };

    public static Task ErrorAsync(HttpContext context, int status, string message) =>
        WriteJsonAsync(context, status, new Dictionary<string, string> { ["error"] = message });

    private static Task WriteJsonAsync(HttpContext context, int status, object document)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(document, document.GetType(), Json, context.RequestAborted);
    }

    // Job ids are the manager's numbers; anything else is kept out of the header.
    private static string FileName(string jobId) => string.Concat(jobId.Where(char.IsAsciiLetterOrDigit));
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActorTasks.Messages;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Jobs;
using ActorTasks.Node.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.Dashboard;

/// <summary>The dashboard's JSON API, its events and /metrics against a real Kestrel on port 0, with a seed and a worker running in this process.</summary>
public sealed class DashboardApiTests(DashboardCluster cluster, ITestOutputHelper log) : IClassFixture<DashboardCluster>
{
    private static readonly TimeSpan Timeout = DashboardCluster.Timeout;

    private HttpClient Http => cluster.Http;

    private async Task<int> JobCountAsync() => (await Http.GetFromJsonAsync<JsonElement>("/api/jobs")).GetProperty("jobs").GetArrayLength();

    private JobCommands Console => new(cluster.Seed.System, cluster.Seed.JobManager, cluster.Seed.ResourceManager, Timeout);

    private async Task<string> SubmitAsync(object request)
    {
        var response = await Http.PostAsJsonAsync("/api/jobs", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("jobId").GetString()!;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        log.WriteLine($"{(int)response.StatusCode} {body}");
        Assert.Equal(expected, response.StatusCode);
        return JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;
    }

    /// <summary>Reads <c>/api/jobs/{id}/events</c> until the job's <c>finished</c> event; returns its data.</summary>
    private async Task<JsonElement> FinishedAsync(string id)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var response = await Http.GetAsync($"/api/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        string? name = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name == "finished") return JsonDocument.Parse(line[6..]).RootElement;
        }
        throw new InvalidOperationException($"the events of job {id} ended without 'finished'");
    }

    [Fact]
    public async Task A_job_submitted_through_the_api_runs_on_the_worker_and_answers_as_the_clis_json_does()
    {
        var id = await SubmitAsync(new { kind = "noop", arguments = new[] { "100" } });
        Assert.Equal("Completed", (await FinishedAsync(id)).GetProperty("state").GetString());

        // The same documents, with the same names, as the CLI's --json.
        var cli = new StringWriter();
        await Console.ListAsync(cli, json: true, CancellationToken.None);
        var listed = await Http.GetStringAsync("/api/jobs");
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(cli.ToString())), JsonSerializer.Serialize(JsonDocument.Parse(listed)));
        cli = new StringWriter();
        await Console.ResultsAsync(id, null, cli, cli, json: true, CancellationToken.None);
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(cli.ToString())), JsonSerializer.Serialize(JsonDocument.Parse(await Http.GetStringAsync($"/api/jobs/{id}/results"))));

        var status = JsonDocument.Parse(await Http.GetStringAsync($"/api/jobs/{id}")).RootElement;
        Assert.Equal(100, status.GetProperty("done").GetInt64());
        var text = await Http.GetAsync($"/api/jobs/{id}/results?format=text");
        Assert.Equal($"attachment; filename=\"job-{id}.txt\"", text.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal("100 of 100 tasks, sum 4950 (exact)\n", await text.Content.ReadAsStringAsync());

        var nodes = JsonDocument.Parse(await Http.GetStringAsync("/api/nodes")).RootElement;
        Assert.Equal(2, nodes.GetProperty("members").GetArrayLength());
        Assert.All(nodes.GetProperty("members").EnumerateArray(), m => Assert.Equal("Up", m.GetProperty("status").GetString()));
        var kinds = JsonDocument.Parse(await Http.GetStringAsync("/api/kinds")).RootElement;
        Assert.Contains(kinds.EnumerateArray(), k => k.GetProperty("name").GetString() == "primes" && k.GetProperty("usage").GetString()!.StartsWith("primes FROM TO", StringComparison.Ordinal));
        var resources = JsonDocument.Parse(await Http.GetStringAsync("/api/resources")).RootElement;
        Assert.Contains(resources.GetProperty("resources").EnumerateArray(), r => r.GetProperty("name").GetString() == "disk");
    }

    [Fact]
    public async Task A_bad_submit_is_a_400_with_the_consoles_message_and_an_unknown_job_a_404()
    {
        var jobs = await JobCountAsync();
        var rejected = (JobRejected)await Console.SubmitAsync("primes", ["abc"], JobOptions.Default, CancellationToken.None);
        Assert.Equal(JobCommands.Rejected(rejected),
            await ErrorAsync(await Http.PostAsJsonAsync("/api/jobs", new { kind = "primes", line = "abc" }), HttpStatusCode.BadRequest));
        Assert.StartsWith("rejected: ", await ErrorAsync(await Http.PostAsJsonAsync("/api/jobs", new { kind = "no-such-kind" }), HttpStatusCode.BadRequest));
        Assert.StartsWith("KIND is missing", await ErrorAsync(await Http.PostAsJsonAsync("/api/jobs", new { arguments = new[] { "1" } }), HttpStatusCode.BadRequest));
        Assert.StartsWith("--max-retries:", await ErrorAsync(await Http.PostAsJsonAsync("/api/jobs", new { kind = "noop", line = "5 --max-retries many" }), HttpStatusCode.BadRequest));
        Assert.StartsWith("request body:", await ErrorAsync(await Http.PostAsync("/api/jobs", new StringContent("{not json")), HttpStatusCode.BadRequest));

        foreach (var request in new Func<Task<HttpResponseMessage>>[]
                 {
                     () => Http.GetAsync("/api/jobs/999999"), () => Http.GetAsync("/api/jobs/999999/results"), () => Http.GetAsync("/api/jobs/999999/events"),
                     () => Http.PostAsync("/api/jobs/999999/cancel", null),
                 })
        {
            Assert.Equal(JobCommands.UnknownJob("999999"), await ErrorAsync(await request(), HttpStatusCode.NotFound));
        }
        Assert.Equal(jobs, await JobCountAsync());
    }

    [Fact]
    public async Task A_running_job_is_cancelled_and_a_post_from_another_origin_is_refused()
    {
        var id = await SubmitAsync(new { kind = "noop", line = "1000000000" });
        var jobs = await JobCountAsync();
        Assert.StartsWith($"job {id} is still Running", await ErrorAsync(await Http.GetAsync($"/api/jobs/{id}/results"), HttpStatusCode.Conflict));

        using var forged = new HttpRequestMessage(HttpMethod.Post, $"/api/jobs/{id}/cancel");
        forged.Headers.Add("Origin", "http://attacker.example");
        Assert.Contains("another origin", await ErrorAsync(await Http.SendAsync(forged), HttpStatusCode.Forbidden));
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(new { kind = "noop", line = "5" }) };
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Contains("another site", await ErrorAsync(await Http.SendAsync(crossSite), HttpStatusCode.Forbidden));
        Assert.Equal("Running", (await Http.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("state").GetString());

        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, $"/api/jobs/{id}/cancel");
        sameOrigin.Headers.Add("Origin", Http.BaseAddress!.GetLeftPart(UriPartial.Authority));
        var cancelled = await Http.SendAsync(sameOrigin);
        Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
        Assert.Equal("Cancelled", (await FinishedAsync(id)).GetProperty("state").GetString());
        Assert.Equal(jobs, await JobCountAsync());
    }

    [Fact]
    public async Task Metrics_count_the_tasks_by_kind_and_node_and_show_members_and_consumers_in_prometheus_text()
    {
        var id = await SubmitAsync(new { kind = "hash", line = "200 --rounds 1000" });
        await FinishedAsync(id);
        var worker = cluster.Worker.Address.ToString();
        // The job list is looked at every second: the metrics follow within one.
        string metrics;
        var deadline = DateTime.UtcNow + Timeout;
        do
        {
            metrics = await Http.GetStringAsync("/metrics");
            if (metrics.Contains("actortasks_tasks_done_total{kind=\"hash\"} 200\n", StringComparison.Ordinal)) break;
            Assert.True(DateTime.UtcNow < deadline, metrics);
            await Task.Delay(200);
        }
        while (true);
        log.WriteLine(metrics);
        Assert.Matches(@"actortasks_jobs\{state=""Completed""\} [1-9]\d*\n", metrics);
        Assert.Contains("actortasks_members{status=\"Up\"} 2\n", metrics);
        Assert.Contains("actortasks_members_unreachable 0\n", metrics);
        Assert.Contains("actortasks_job_manager_mailbox_messages 0\n", metrics);
        // Per node: what the job's progress reports attributed to the worker, the rest (if its last report came late) unattributed.
        var byNode = System.Text.RegularExpressions.Regex.Matches(metrics, @"actortasks_tasks_done_by_node_total\{kind=""hash"",node=""(?<node>[^""]+)""\} (?<n>\d+)")
            .ToDictionary(m => m.Groups["node"].Value, m => long.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(200, byNode.Values.Sum());
        Assert.All(byNode.Keys, node => Assert.Contains(node, new[] { worker, "unattributed" }));
        // The worker's consumers run in this process, so their measures reach this listener too.
        Assert.Matches(@"actortasks_task_duration_seconds_count\{kind=""hash""\} [1-9]\d*\n", metrics);
        Assert.Matches(@"actortasks_consumer_busy_seconds_total [0-9.e-]+\n", metrics);
        Assert.Contains("actortasks_consumers 0\n", metrics);
    }
}

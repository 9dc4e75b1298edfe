using System.CommandLine;
using ActorTasks.Node.Jobs;

namespace ActorTasks.Node.Commands;

/// <summary>
/// The seed console's commands as verbs from any shell: <c>actortasks jobs | status ID | watch ID | cancel ID |
/// results ID [--out FILE] | nodes | resources --seed HOST:PORT</c>, running the console's own code against the seed.
/// </summary>
public static class SeedVerbs
{
    public static IEnumerable<Command> Create() =>
    [
        Jobs(),
        Status(),
        Watch(),
        Cancel(),
        Results(),
        Nodes(),
        Resources(),
    ];

    private static Option<bool> Json(string what) => new("--json") { Description = $"Write {what} as one JSON document on standard output" };

    private static Argument<string> JobId() => new("ID") { Description = "The job's id, as submit answered it (jobs lists them)" };

    private static Command Jobs()
    {
        var json = Json("the jobs");
        return SeedClient.Create("jobs", "List the seed's jobs, running and finished",
            p => c => c.Jobs.ListAsync(c.Output, p.GetValue(json), c.Cancellation), json);
    }

    private static Command Status()
    {
        var id = JobId();
        var json = Json("the job's status");
        return SeedClient.Create("status", "A job's state and counts; exits 3 for a cancelled job, 1 for a failed one",
            p => c => c.Jobs.StatusAsync(p.GetValue(id)!, c.Output, c.Error, p.GetValue(json), c.Cancellation), id, json);
    }

    private static Command Watch()
    {
        var id = JobId();
        return SeedClient.Create("watch", "Follow a job's progress to its end; exits with how it ended (Ctrl+C leaves the watch, 130)",
            p => c => c.Jobs.FollowAsync(p.GetValue(id)!, c.Output, c.Cancellation), id);
    }

    private static Command Cancel()
    {
        var id = JobId();
        return SeedClient.Create("cancel", "Stop a job; it ends Cancelled with its partial results",
            p => c => c.Jobs.CancelAsync(p.GetValue(id)!, c.Output, c.Error, c.Cancellation), id);
    }

    private static Command Results()
    {
        var id = JobId();
        var json = Json("the job's end, summary and every result line");
        var outFile = new Option<string?>("--out", "-o") { Description = "Write the result lines to FILE", HelpName = "FILE" };
        return SeedClient.Create("results", "A finished job's results; exits with how it ended",
            p =>
            {
                var file = p.GetValue(outFile);
                if (file is not null && p.GetValue(json)) throw new ArgumentException("--out, --json: choose one (--json writes every line into the document)");
                if (file is not null) JobOutputWriter.CheckOutFile(file);
                return c => c.Jobs.ResultsAsync(p.GetValue(id)!, file, c.Output, c.Error, p.GetValue(json), c.Cancellation);
            }, id, json, outFile);
    }

    private static Command Nodes()
    {
        var json = Json("the members");
        return SeedClient.Create("nodes", "The cluster's members as the seed sees them: address, roles, status, uptime",
            p => c => c.Cluster.NodesAsync(c.Output, p.GetValue(json), c.Cancellation), json);
    }

    private static Command Resources() =>
        SeedClient.Create("resources", "Named resources: permits, holders and waiters",
            _ => c => c.Jobs.ResourcesAsync(c.Output, c.Cancellation));
}

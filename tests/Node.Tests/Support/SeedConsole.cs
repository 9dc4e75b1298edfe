using System.Text.RegularExpressions;
using ActorTasks.Node.Hosting;
using Xunit;

namespace ActorTasks.Node.Tests.Support;

/// <summary>Reads the cluster's membership and a job's progress from a seed process through its console's <c>nodes</c> and <c>status</c> commands.</summary>
internal static class SeedConsole
{
    /// <summary>Asks the seed's console for the members until <paramref name="condition"/> holds for the rows it prints.</summary>
    public static async Task<IReadOnlyList<string>> WaitForMembersAsync(NodeProcess seed, Func<IReadOnlyList<string>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var rows = await MembersAsync(seed, timeout);
            if (condition(rows)) return rows;
            Assert.True(DateTime.UtcNow < deadline, "the members never matched; last view:\n" + string.Join("\n", rows));
            // Each round asks the seed again: its view changes only as heartbeats and gossip arrive.
            await Task.Delay(200);
        }
    }

    /// <summary>The rows of one <c>nodes</c> answer: one per member, with its address, roles and status.</summary>
    public static async Task<IReadOnlyList<string>> MembersAsync(NodeProcess seed, TimeSpan timeout)
    {
        await seed.SendLineAsync("nodes");
        var rows = new List<string>();
        string line;
        do
        {
            line = await seed.WaitForLineAsync(l => l.Contains("://tasks@") || l.StartsWith("leader:", StringComparison.Ordinal), timeout);
            if (line.Contains('│')) rows.Add(line);
        }
        while (!line.StartsWith("leader:", StringComparison.Ordinal));
        return rows;
    }

    /// <summary>
    /// The seed console's <c>status</c> of job <paramref name="jobId"/> until it shows the job with at least
    /// <paramref name="done"/> tasks done; the answers before (no job manager yet, a job not known yet) are passed over.
    /// </summary>
    public static async Task<JobStatusLine> WaitForDoneAsync(NodeProcess seed, string jobId, long done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (true)
        {
            await seed.SendLineAsync($"status {jobId}");
            last = await seed.WaitForLineAsync(l => l.StartsWith($"{jobId} ", StringComparison.Ordinal) || l.StartsWith("status: ", StringComparison.Ordinal)
                || l.Contains($"no job '{jobId}'"), timeout);
            if (JobStatusLine.TryParse(last) is { } status && status.Done >= done) return status;
            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} never had {done} tasks done; the last status: {last}");
            // Each round asks again: the job moves on by itself.
            await Task.Delay(200);
        }
    }
}

/// <summary>A line of the console's <c>status</c>: "1 hash 200 --rounds 10000: Running, 57 done, 0 failed of 200, 3 handed out again".</summary>
internal sealed record JobStatusLine(string State, long Done, long Failed, long RunAgain)
{
    public static JobStatusLine? TryParse(string line)
    {
        var match = Regex.Match(line,
            @": (?<state>[A-Za-z ]+), (?<done>[\d,]+) done, (?<failed>[\d,]+) failed of [\d,?]+(, (?<again>[\d,]+) handed out again)?$");
        if (!match.Success) return null;
        static long Number(Group g) => g.Success ? long.Parse(g.Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new JobStatusLine(match.Groups["state"].Value, Number(match.Groups["done"]), Number(match.Groups["failed"]), Number(match.Groups["again"]));
    }
}

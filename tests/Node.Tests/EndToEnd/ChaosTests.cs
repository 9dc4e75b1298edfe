using ActorTasks.Node.Tests.Support;
using ActorTasks.Tests.Fixtures.Chaos;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.EndToEnd;

/// <summary>
/// The chaos benchmark's short form (bench: <c>chaos</c>): a journaled seed and three workers run jobs with known
/// answers while ten faults, drawn from a fixed seed, hit the cluster a few seconds apart.
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class ChaosTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Ten_random_faults_leaves_every_job_with_its_known_answer_and_no_node_dead_unasked()
    {
        // Ten faults, a few seconds apart: about a minute on two quiet cores; two minutes at most on a busy machine.
        var report = await ChaosRun.RunAsync(new ChaosOptions(TimeSpan.FromMinutes(2), Seed: 24, Faults: true, Log)
        {
            MaxFaults = 10,
            Drain = TimeSpan.FromSeconds(90),
        });
        foreach (var line in report.Lines()) Log(line);

        Assert.True(report.Faults.Count >= 5, $"only {report.Faults.Count} faults");
        Assert.True(report.JobsCompleted > 0, "no job completed");
        Assert.True(report.Wrong.IsEmpty, "jobs wrong or lost:\n" + string.Join("\n", report.Wrong));
        Assert.True(report.Problems.IsEmpty, "faults that did not end as they must:\n" + string.Join("\n", report.Problems));
        Assert.True(report.Deaths.Count == 0, "nodes died unasked:\n" + string.Join("\n", report.Deaths));
    }

    private void Log(string line)
    {
        try
        {
            log.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // the test has ended; a late line has nowhere to go
        }
    }
}

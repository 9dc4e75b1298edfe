using ActorTasks.Tasks.JobKinds;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds;

/// <summary>Kinds that know their task count up front say so, and it is exactly what their split yields.</summary>
public sealed class KnownTotalTests
{
    private static readonly JobKindRegistry Kinds = JobKindRegistry.CreateBuiltIn();

    [Theory]
    [InlineData("noop", new[] { "0" })]
    [InlineData("noop", new[] { "7" })]
    [InlineData("hash", new[] { "5", "--rounds", "2" })]
    [InlineData("primes", new[] { "0", "100", "--chunk", "10" })]
    [InlineData("primes", new[] { "0", "100", "--chunk", "7" })]
    [InlineData("primes", new[] { "5", "6" })]
    [InlineData("primes", new[] { "0", "1000000" })]
    public void The_known_total_is_the_number_of_tasks_the_split_yields(string kind, string[] arguments)
    {
        Assert.True(Kinds.TryGet(kind, out var jobKind));
        var job = jobKind.Prepare(arguments);
        Assert.Equal(job.Split(CancellationToken.None).LongCount(), job.KnownTotal);
    }

    [Theory]
    [InlineData("wordcount")]
    [InlineData("grep")]
    [InlineData("csv-stats")]
    public void A_kind_that_learns_its_total_by_splitting_says_it_does_not_know_it(string name)
    {
        using var folder = new TempDirectory();
        var file = folder.Write("a.csv", "x,y\n1,2\n");
        Assert.True(Kinds.TryGet(name, out var kind));
        string[] arguments = name switch
        {
            "grep" => ["x", folder.Path],
            "csv-stats" => [file, "--column", "x"],
            _ => [folder.Path],
        };
        Assert.Null(kind.Prepare(arguments).KnownTotal);
    }
}

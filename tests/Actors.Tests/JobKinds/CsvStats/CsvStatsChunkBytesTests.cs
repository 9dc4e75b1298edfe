using System.Globalization;
using System.Text;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.CsvStats;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds.CsvStats;

public sealed class CsvStatsChunkBytesTests
{
    private static string WriteCsv(TempDirectory dir, int rows)
    {
        var random = new Random(3);
        var text = new StringBuilder("id,value\n");
        for (var i = 0; i < rows; i++)
            text.Append(CultureInfo.InvariantCulture, $"{i},{random.NextDouble() * 1000:0.###}\n");
        return dir.Write("data.csv", text.ToString());
    }

    [Fact]
    public async Task Chunk_bytes_cuts_the_file_into_ranges_of_at_least_that_size_with_the_same_statistics()
    {
        using var dir = new TempDirectory();
        var file = WriteCsv(dir, 5_000);
        var kind = new CsvStatsJobKind();

        var whole = await JobHarness.RunShuffledAsync(kind.Prepare([file, "--column", "value"]));
        var chunked = await JobHarness.RunShuffledAsync(kind.Prepare([file, "--column", "value", "--chunk-bytes", "4096"]));

        Assert.Equal(1, whole.Tasks);
        // Each range runs from a record start to the first record start at least 4096 bytes on.
        Assert.Equal(CsvStatsReference.Compute(file, 1, ',', header: true).Tasks(new FileInfo(file).Length, 4096), chunked.Tasks);
        Assert.InRange(chunked.Tasks, 2, (int)Math.Ceiling(new FileInfo(file).Length / 4096.0));
        Assert.True(chunked.Tasks > 10);
        foreach (var key in new[] { "count", "min", "q1", "median", "q3", "max", "malformed rows" })
            Assert.Equal(whole.Output.Get(key), chunked.Output.Get(key));
        var mean = double.Parse(whole.Output.Get("mean"), CultureInfo.InvariantCulture);
        Assert.Equal(mean, double.Parse(chunked.Output.Get("mean"), CultureInfo.InvariantCulture), mean * 1e-12);
    }

    [Theory]
    [InlineData("10", "10 is out of range")]
    [InlineData("2GB", "'2GB' is not a whole number")]
    public void A_bad_chunk_size_is_refused_naming_the_option(string value, string problem)
    {
        using var dir = new TempDirectory();
        var file = WriteCsv(dir, 10);
        var e = Assert.Throws<JobArgumentException>(() => new CsvStatsJobKind().Prepare([file, "--column", "value", "--chunk-bytes", value]));
        Assert.Equal("--chunk-bytes", e.Argument);
        Assert.Contains(problem, e.Message);
    }
}

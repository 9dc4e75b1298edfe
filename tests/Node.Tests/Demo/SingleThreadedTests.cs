using System.Text.RegularExpressions;
using ActorTasks.Node.Demo;
using Xunit;

namespace ActorTasks.Node.Tests.Demo;

public sealed class SingleThreadedTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("actortasks-single-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(0, 10, 4)]
    [InlineData(0, 100, 25)]
    [InlineData(2, 3, 1)]
    [InlineData(3, 3, 0)]
    [InlineData(10, 30, 6)]
    [InlineData(0, 1_000_000, 78_498)]
    public void Counts_primes_in_a_half_open_range(long from, long to, long expected) =>
        Assert.Equal(expected, SingleThreaded.CountPrimes(from, to));

    [Theory]
    [InlineData(999_000, 1_000_000)]
    [InlineData(1, 2)]
    [InlineData(4_999_000, 5_000_000)]
    public void Counts_the_same_primes_as_trial_division(long from, long to)
    {
        static bool IsPrime(long n)
        {
            if (n < 2) return false;
            for (long d = 2; d * d <= n; d++)
                if (n % d == 0) return false;
            return true;
        }
        var expected = 0L;
        for (var n = from; n < to; n++)
            if (IsPrime(n)) expected++;
        Assert.Equal(expected, SingleThreaded.CountPrimes(from, to));
    }

    [Fact]
    public void Column_statistics_match_hand_computed_values_and_count_bad_rows()
    {
        var path = Path.Combine(_folder, "small.csv");
        File.WriteAllText(path, "id,v\n1,4\n2,1\n3,oops\n4,3\n5\n6,2\n7,10\n");

        var stats = SingleThreaded.CsvColumn(path, "v");

        // Values 4 1 3 2 10: sorted 1 2 3 4 10, mean 4, sample variance (9+4+1+0+36)/4 = 12.5.
        Assert.Equal(new ColumnStats(5, 4, Math.Sqrt(12.5), 1, 2, 3, 4, 10, 2), stats);
    }

    [Fact]
    public void Quartiles_interpolate_between_neighbours()
    {
        var path = Path.Combine(_folder, "four.csv");
        File.WriteAllText(path, "v\n1\n2\n3\n4\n");
        var stats = SingleThreaded.CsvColumn(path, "v");
        Assert.Equal((1.75, 2.5, 3.25), (stats.Q1, stats.Median, stats.Q3));
    }

    [Fact]
    public void Grep_lists_matching_lines_with_their_file_and_line_number()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "a"));
        File.WriteAllLines(Path.Combine(_folder, "a", "x.log"), ["ok", "ERROR one", "ok", "error two"]);
        File.WriteAllLines(Path.Combine(_folder, "y.log"), ["ERROR three"]);

        var found = SingleThreaded.Grep(_folder, new Regex("ERROR"));

        Assert.Equal([$"{_folder}/a/x.log:2:ERROR one", $"{_folder}/y.log:1:ERROR three"], found.Order(StringComparer.Ordinal));
    }
}

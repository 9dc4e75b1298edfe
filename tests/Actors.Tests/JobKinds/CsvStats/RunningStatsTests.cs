using ActorTasks.Tasks.JobKinds.CsvStats;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds.CsvStats;

/// <summary>
/// Mean and variance of values near double's limits, where plain Welford overflows: the expected values are Python's
/// (<c>statistics</c>), or a two-pass computation on the values scaled by a power of two (which is exact).
/// </summary>
public sealed class RunningStatsTests
{
    private static double[] Uniform(int count, double low, double high, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => low + random.NextDouble() * (high - low))];
    }

    /// <summary>Mean and sample std by two passes over the values divided by 2^<paramref name="exponent"/>, scaled back.</summary>
    private static (double Mean, double Std) ScaledTwoPass(IReadOnlyList<double> values, int exponent)
    {
        var scaled = values.Select(v => Math.ScaleB(v, -exponent)).ToArray();
        var mean = scaled.Sum() / scaled.Length;
        var m2 = scaled.Sum(v => (v - mean) * (v - mean));
        return (Math.ScaleB(mean, exponent), Math.ScaleB(Math.Sqrt(m2 / (scaled.Length - 1)), exponent));
    }

    private static void AssertRelative(double expected, double actual, double tolerance)
    {
        Assert.True(double.IsFinite(actual), $"expected {expected:R}, got {actual:R}");
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");
    }

    private static RunningStats Of(IEnumerable<double> values)
    {
        var stats = new RunningStats();
        foreach (var value in values) stats.Add(value);
        return stats;
    }

    /// <summary>Statistics of each chunk, sent as a task result (encoded and decoded), merged in chunk order.</summary>
    private static RunningStats MergedThroughChunkResults(IReadOnlyList<double> values, int chunk)
    {
        var merged = new RunningStats();
        foreach (var part in values.Chunk(chunk))
        {
            var sent = new CsvChunkResult(part.Length, Of(part), 0, [], part).Encode();
            merged.Merge(CsvChunkResult.Decode(sent.Span).Stats);
        }
        return merged;
    }

    [Fact]
    public void The_std_of_a_thousand_values_near_1e200_is_finite_and_matches_a_scaled_two_pass()
    {
        var values = Uniform(1000, 1e200, 2e200, seed: 1);
        var (mean, std) = ScaledTwoPass(values, 664);
        // A uniform spread of width 1e200 has a std of about 1e200 / sqrt(12): Python says 2.88e199 for the data.
        Assert.InRange(std, 2.7e199, 3.1e199);

        var stats = Of(values);

        AssertRelative(std, stats.SampleStandardDeviation, 1e-9);
        AssertRelative(mean, stats.Mean, 1e-12);
        Assert.Equal((values.Min(), values.Max()), (stats.Min, stats.Max));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(500)]
    public void Chunks_of_values_near_1e200_merge_through_their_task_results_to_the_same_std(int chunk)
    {
        var values = Uniform(1000, 1e200, 2e200, seed: 2);
        var (mean, std) = ScaledTwoPass(values, 664);

        var merged = MergedThroughChunkResults(values, chunk);

        Assert.Equal(1000, merged.Count);
        AssertRelative(std, merged.SampleStandardDeviation, 1e-9);
        AssertRelative(mean, merged.Mean, 1e-12);
    }

    [Fact]
    public void The_mean_of_plus_and_minus_1e308_is_zero_added_or_merged()
    {
        Assert.Equal(0, Of([1e308, -1e308]).Mean);
        Assert.Equal(0, Of([-1e308, 1e308]).Mean);
        Assert.Equal(0, MergedThroughChunkResults([1e308, -1e308], 1).Mean);
        Assert.Equal(0, MergedThroughChunkResults([-1e308, 1e308], 1).Mean);
        // Python's statistics.stdev([1e308, -1e308]): sqrt(2)·1e308, still finite.
        AssertRelative(1.4142135623730951e308, Of([1e308, -1e308]).SampleStandardDeviation, 1e-12);
    }

    [Fact]
    public void The_std_of_three_values_near_1_7e308_is_1e307()
    {
        double[] values = [1.5e308, 1.6e308, 1.7e308];

        // Python: statistics.mean 1.6e308, statistics.stdev 9.999999999999996e306.
        AssertRelative(1e307, Of(values).SampleStandardDeviation, 1e-9);
        AssertRelative(1.6e308, Of(values).Mean, 1e-12);
        AssertRelative(1e307, MergedThroughChunkResults(values, 1).SampleStandardDeviation, 1e-9);
        AssertRelative(1e307, MergedThroughChunkResults(values, 2).SampleStandardDeviation, 1e-9);
    }

    [Fact]
    public void Chunks_of_very_different_magnitudes_merge_in_either_order_to_what_one_pass_gives()
    {
        double[] small = [1e-300, 2.5, -3, 0, 7e-5];
        double[] large = [1e300, -2e299, 3.3e301];
        var (mean, std) = ScaledTwoPass([.. small, .. large], 1000);

        foreach (var (first, second) in new[] { (small, large), (large, small) })
        {
            var merged = Of(first);
            merged.Merge(Of(second));
            AssertRelative(mean, merged.Mean, 1e-12);
            AssertRelative(std, merged.SampleStandardDeviation, 1e-12);
            Assert.Equal((-2e299, 3.3e301), (merged.Min, merged.Max));
        }
    }

    [Theory]
    [InlineData(new[] { -1e308, 1e308 }, 0.5, 0)]
    [InlineData(new[] { -1e308, 1e308 }, 0.25, -5e307)]
    [InlineData(new[] { -1.7e308, 1e308, 1.7e308 }, 0.25, -3.5e307)]
    [InlineData(new[] { 1.7e308, 1.7e308 }, 0.5, 1.7e308)]
    public void Quantiles_between_values_of_opposite_sign_near_the_limit_do_not_overflow(double[] sorted, double p, double expected)
    {
        var actual = Quantiles.Linear([.. sorted], p);
        if (expected == 0)
            Assert.Equal(0, actual);
        else
            AssertRelative(expected, actual, 1e-15);
    }
}

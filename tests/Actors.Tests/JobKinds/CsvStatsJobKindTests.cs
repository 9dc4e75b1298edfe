using System.Globalization;
using System.Text;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.CsvStats;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds;

public sealed class CsvStatsJobKindTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// A CSV with a header, quoted names holding the delimiter or a line break, varied number forms, blank lines and bad
    /// rows; a quote left open runs on over the next lines, as in any CSV reader, until a quote closes it.
    /// </summary>
    private static string Generate(int rows, int seed, string newline, bool finalNewline, bool bom)
    {
        var random = new Random(seed);
        var text = new StringBuilder(bom ? "\uFEFF" : "");
        text.Append("id,name,price,qty").Append(newline);
        for (var i = 0; i < rows; i++)
        {
            var name = random.Next(8) switch
            {
                0 or 1 => $"\"Smith, {i} \"\"Jr\"\"\"",
                2 => $"\"two{newline}lines, {i}\"",
                _ => $"n{i}",
            };
            var price = random.Next(40) switch
            {
                0 => "abc",
                1 => "",
                2 => "NaN",
                3 => "1e999",
                4 => $"\"{random.Next(1000)}.5\"",
                5 => $" {(random.NextDouble() * 1e4 - 5e3).ToString("E6", CultureInfo.InvariantCulture)} ",
                6 => (random.Next(50) * 2).ToString(CultureInfo.InvariantCulture),
                _ => (random.NextDouble() * 200 - 20).ToString("R", CultureInfo.InvariantCulture),
            };
            var line = random.Next(60) switch
            {
                0 => $"{i}",
                1 => $"{i},\"unterminated,{price},3",
                2 => $"{i},\"x\"y,{price},3",
                3 => "",
                _ => $"{i},{name},{price},{random.Next(100)}",
            };
            text.Append(line);
            if (i < rows - 1 || finalNewline)
                text.Append(newline);
        }
        return text.ToString();
    }

    private static void AssertMatches(CsvStatsReference expected, JobOutput output)
    {
        static string Format(double value) => double.IsNaN(value) ? "n/a" : value.ToString("R", CultureInfo.InvariantCulture);
        Assert.Equal(expected.Count.ToString(CultureInfo.InvariantCulture), output.Get("count"));
        Assert.Equal(Format(expected.Min), output.Get("min"));
        Assert.Equal(Format(expected.Max), output.Get("max"));
        Assert.Equal(Format(expected.Q1), output.Get("q1"));
        Assert.Equal(Format(expected.Median), output.Get("median"));
        Assert.Equal(Format(expected.Q3), output.Get("q3"));
        AssertClose(expected.Mean, double.Parse(output.Get("mean"), CultureInfo.InvariantCulture));
        AssertClose(expected.Std, double.Parse(output.Get("std"), CultureInfo.InvariantCulture));
        Assert.Equal(expected.Malformed.ToString(CultureInfo.InvariantCulture), output.Get("malformed rows"));
        var reported = output.Lines.Where(l => l.StartsWith("line ", StringComparison.Ordinal))
            .Select(l => long.Parse(l[5..l.IndexOf(':')], CultureInfo.InvariantCulture));
        Assert.Equal(expected.BadLines.Take(10), reported);
    }

    private static void AssertClose(double expected, double actual)
    {
        var tolerance = 1e-12 * Math.Max(Math.Abs(expected), Math.Abs(actual));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R}");
    }

    public static TheoryData<long, string, bool, bool> SmallFileCases()
    {
        var data = new TheoryData<long, string, bool, bool>();
        foreach (var chunk in new long[] { 1, 2, 3, 7, 16, 64, 100, 1000, 1 << 20 })
        {
            data.Add(chunk, "\n", true, false);
            data.Add(chunk, "\r\n", false, false);
            data.Add(chunk, "\n", false, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SmallFileCases))]
    public async Task Equals_a_single_threaded_computation_for_any_chunk_size(long chunk, string newline, bool finalNewline, bool bom)
    {
        var file = _temp.Write("data.csv", Generate(chunk < 8 ? 120 : 300, seed: (int)chunk, newline, finalNewline, bom));
        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(chunk).Prepare([file, "--column", "price"]), seed: (int)chunk);
        var expected = CsvStatsReference.Compute(file, 2, ',', header: true);
        AssertMatches(expected, run.Output);
        // Ranges of at least the chunk size, each ending where a record starts (never inside a quoted line break).
        Assert.Equal(expected.Tasks(new FileInfo(file).Length, chunk), run.Tasks);
    }

    [Theory]
    [InlineData(997)]
    [InlineData(65536)]
    [InlineData(CsvStatsJobKind.DefaultChunkBytes)]
    public async Task Equals_a_single_threaded_computation_on_a_larger_file(long chunk)
    {
        var file = _temp.Write("big.csv", Generate(6000, seed: 42, "\n", finalNewline: true, bom: false));
        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(chunk).Prepare([file, "--column", "price"]), seed: 7);
        var expected = CsvStatsReference.Compute(file, 2, ',', header: true);
        Assert.True(expected.Count > 4000 && expected.Malformed > 10 && expected.RecordStarts.Count < 6000);
        AssertMatches(expected, run.Output);
    }

    [Fact]
    public async Task Without_a_header_the_column_is_an_index_and_line_one_is_data()
    {
        var file = _temp.Write("plain.tsv", "1\t10\n2\t20\n3\tx\n4\t40\n");
        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(5).Prepare([file, "--column", "1", "--no-header", "--delimiter", "tab"]));
        Assert.Equal("3", run.Output.Get("count"));
        Assert.Equal("10", run.Output.Get("min"));
        Assert.Equal("20", run.Output.Get("median"));
        Assert.Equal(["line 3: column 1 is 'x', not a number"], run.Output.Lines);
        AssertMatches(CsvStatsReference.Compute(file, 1, '\t', header: false), run.Output);
    }

    [Theory]
    [InlineData("1\n2\n3\n4", "1.75", "2.5", "3.25")]
    [InlineData("1\n2\n3\n4\n5\n6\n7\n8\n9\n10", "3.25", "5.5", "7.75")]
    [InlineData("5\n1\n3", "2", "3", "4")]
    [InlineData("7", "7", "7", "7")]
    public async Task Quartiles_interpolate_linearly_between_closest_ranks_as_numpy_does(string column, string q1, string median, string q3)
    {
        var file = _temp.Write("q.csv", "v\n" + column);
        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(2).Prepare([file, "--column", "v"]));
        Assert.Equal(q1, run.Output.Get("q1"));
        Assert.Equal(median, run.Output.Get("median"));
        Assert.Equal(q3, run.Output.Get("q3"));
    }

    [Fact]
    public async Task Malformed_rows_are_counted_and_named_by_their_file_line_across_chunks()
    {
        // A quote left open runs to the end of the file (a quoted field may hold line breaks), so that row comes last.
        var file = _temp.Write("bad.csv", "id,name,price\r\n1,a,1.5\r\n2,b,abc\r\n\r\n3\r\n4,\"c, d\",2.5\r\n6,f,\r\n7,\"g\"h,1\r\n8,i,1e999\r\n5,\"e,3\r\n");
        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(4).Prepare([file, "--column", "price"]));
        Assert.Equal("2", run.Output.Get("count"));
        Assert.Equal("6", run.Output.Get("malformed rows"));
        Assert.Equal(
            [
                "line 3: column 'price' is 'abc', not a number",
                "line 5: the row has 1 field(s); column 'price' is field 3",
                "line 7: column 'price' is empty",
                "line 8: the row has text after the closing quote of field 2",
                "line 9: column 'price' is '1e999', not a finite number",
                "line 10: the row has an unterminated quoted field (field 2)",
            ],
            run.Output.Lines);
    }

    [Fact]
    public async Task Reports_the_first_ten_malformed_rows_and_how_many_more()
    {
        var file = _temp.Write("many.csv", "v\n" + string.Join("\n", Enumerable.Range(0, 25).Select(i => i % 2 == 0 ? "x" : "1")));
        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(3).Prepare([file, "--column", "v"]));
        Assert.Equal("13", run.Output.Get("malformed rows"));
        Assert.Equal(11, run.Output.Lines.Count);
        Assert.StartsWith("line 2:", run.Output.Lines[0]);
        Assert.StartsWith("line 20:", run.Output.Lines[9]);
        Assert.Equal("… and 3 more malformed rows", run.Output.Lines[10]);
    }

    [Fact]
    public async Task A_partial_result_does_not_guess_line_numbers_after_a_missing_chunk()
    {
        var file = _temp.Write("partial.csv", "v\n1\n2\nx\n3\n");
        var output = await JobHarness.RunPartialAsync(new CsvStatsJobKind(4).Prepare([file, "--column", "v"]), i => i != 0);
        Assert.StartsWith("line ? ", Assert.Single(output.Lines));
        Assert.Equal("2", output.Get("count"));
    }

    [Fact]
    public async Task No_numeric_rows_gives_a_count_of_zero_and_no_statistics()
    {
        var file = _temp.Write("none.csv", "v\nx\n");
        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind().Prepare([file, "--column", "v"]));
        Assert.Equal("0", run.Output.Get("count"));
        Assert.Equal("n/a", run.Output.Get("mean"));
        Assert.Equal("n/a", run.Output.Get("median"));
        Assert.Equal("n/a", run.Output.Get("std"));
    }

    public static TheoryData<long> ChunkSizes => [1, 8, 64, 4096, CsvStatsJobKind.DefaultChunkBytes];

    private static string Values(IEnumerable<double> values) =>
        "v\n" + string.Concat(values.Select(v => v.ToString("R", CultureInfo.InvariantCulture) + "\n"));

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task Plus_and_minus_1e308_have_pythons_mean_and_median_of_zero(long chunk)
    {
        var file = _temp.Write("limits.csv", Values([1e308, -1e308]));
        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(chunk).Prepare([file, "--column", "v"]));

        // Python: statistics.mean and statistics.median 0, statistics.stdev 1.4142135623730951e+308.
        Assert.Equal(("0", "0"), (run.Output.Get("mean"), run.Output.Get("median")));
        AssertClose(1.4142135623730951e308, double.Parse(run.Output.Get("std"), CultureInfo.InvariantCulture));
        Assert.Equal(("-1E+308", "1E+308"), (run.Output.Get("min"), run.Output.Get("max")));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task Three_values_near_1_7e308_have_pythons_std_of_1e307(long chunk)
    {
        var file = _temp.Write("limits.csv", Values([1.5e308, 1.6e308, 1.7e308]));
        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(chunk).Prepare([file, "--column", "v"]));

        // Python: statistics.stdev 9.999999999999996e+306, statistics.mean 1.6e+308.
        var std = double.Parse(run.Output.Get("std"), CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(std - 1e307) <= 1e-9 * 1e307, $"std {std:R}");
        AssertClose(1.6e308, double.Parse(run.Output.Get("mean"), CultureInfo.InvariantCulture));
        Assert.Equal("1.6E+308", run.Output.Get("median"));
    }

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task A_thousand_values_near_1e200_have_a_finite_std_equal_to_the_reference(long chunk)
    {
        var random = new Random(200);
        var values = Enumerable.Range(0, 1000).Select(_ => 1e200 + random.NextDouble() * 1e200).ToList();
        var file = _temp.Write("big-values.csv", Values(values));

        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(chunk).Prepare([file, "--column", "v"]), seed: (int)chunk);

        // Two passes over the values divided by 2^664 (exact), scaled back: about 1e200 / sqrt(12) (Python 2.88e199 for the issue's data).
        var scaled = values.Select(v => Math.ScaleB(v, -664)).ToList();
        var scaledMean = scaled.Average();
        var expectedStd = Math.ScaleB(Math.Sqrt(scaled.Sum(v => (v - scaledMean) * (v - scaledMean)) / 999), 664);
        var std = double.Parse(run.Output.Get("std"), CultureInfo.InvariantCulture);
        Assert.True(double.IsFinite(std) && Math.Abs(std - expectedStd) <= 1e-9 * expectedStd, $"std {std:R}, expected {expectedStd:R}");
        Assert.InRange(std, 2.7e199, 3.1e199);
        AssertClose(Math.ScaleB(scaledMean, 664), double.Parse(run.Output.Get("mean"), CultureInfo.InvariantCulture));
    }

    public static TheoryData<long> EveryChunkSizeUpTo20 => [.. Enumerable.Range(1, 20).Select(c => (long)c), CsvStatsJobKind.DefaultChunkBytes];

    [Theory]
    [MemberData(nameof(EveryChunkSizeUpTo20))]
    public async Task A_quoted_field_with_a_line_break_is_one_record_whatever_the_chunk_size(long chunk)
    {
        // The issue's example: Python's csv reads two rows, x = 'a\n7,8' (not a number) and x = 1.
        var file = _temp.Write("quoted.csv", "x,y\n\"a\n7,8\",9\n1,2\n");
        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(chunk).Prepare([file, "--column", "x"]), seed: (int)chunk);

        Assert.Equal(("1", "1", "1"), (run.Output.Get("count"), run.Output.Get("mean"), run.Output.Get("malformed rows")));
        // Reported at the line where the record starts, its line break shown escaped.
        Assert.Equal(["line 2: column 'x' is 'a\\x0A7,8', not a number"], run.Output.Lines);
        Assert.Equal(CsvStatsReference.Compute(file, 0, ',', header: true).Tasks(new FileInfo(file).Length, chunk), run.Tasks);
    }

    [Theory]
    [InlineData("x,y\n1,\"a\"b\n2,3\n", "line 2: the row has text after the closing quote of field 2")]
    [InlineData("x,y\n2,3\n1,\"never closed\n", "line 3: the row has an unterminated quoted field (field 2)")]
    [InlineData("x,y,z\n1,\"ok\",\"a\"\"b\"c\n2,3,4\n", "line 2: the row has text after the closing quote of field 3")]
    public async Task A_row_whose_quoting_breaks_after_the_column_is_malformed(string text, string problem)
    {
        var file = _temp.Write("after.csv", text);
        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(3).Prepare([file, "--column", "x"]));

        Assert.Equal(("1", "2", "1"), (run.Output.Get("count"), run.Output.Get("mean"), run.Output.Get("malformed rows")));
        Assert.Equal([problem], run.Output.Lines);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(CsvStatsJobKind.DefaultChunkBytes)]
    public async Task Blank_lines_before_the_header_are_skipped_and_lines_keep_their_numbers(long chunk)
    {
        var file = _temp.Write("blank-first.csv", "\n\r\nx,y\n1,2\nz,4\n3,6\n");
        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(chunk).Prepare([file, "--column", "y"]));

        Assert.Equal(("3", "4", "0"), (run.Output.Get("count"), run.Output.Get("mean"), run.Output.Get("malformed rows")));
        var byX = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(chunk).Prepare([file, "--column", "x"]));
        Assert.Equal(["line 5: column 'x' is 'z', not a number"], byX.Output.Lines);
    }

    [Theory]
    [InlineData(true, 1000L)]
    [InlineData(true, (1L << 20) - 100)]
    [InlineData(false, 1000L)]
    [InlineData(false, (1L << 20) - 100)]
    public async Task A_quote_on_the_last_byte_of_the_splits_read_buffer_is_decided_by_the_byte_after_it(bool escaped, long chunk)
    {
        // The split reads 1 MiB at a time: put a '"' at offset 2^20 − 1, inside a quoted field that holds line breaks,
        // followed either by '"' (an escaped quote: the field goes on) or by ',' (the field closes).
        const int boundary = 1 << 20;
        var text = new StringBuilder("v,w\n\"");
        if (!escaped)
            text.Append("\n5,5\n");
        text.Append('a', boundary - 1 - text.Length);
        text.Append(escaped ? "\"\"\n5,5\n\",1\n" : "\",1\n");
        for (var i = 0; i < 1000; i++)
            text.Append("1,1\n");
        var file = _temp.Write("boundary.csv", text.ToString());
        Assert.Equal((byte)'"', File.ReadAllBytes(file)[boundary - 1]);

        var run = await JobHarness.RunShuffledAsync(new CsvStatsJobKind(chunk).Prepare([file, "--column", "v"]));

        var expected = CsvStatsReference.Compute(file, 0, ',', header: true);
        AssertMatches(expected, run.Output);
        // One malformed record (its v is text) and 1000 values: a range cut inside the field would count a 5.
        Assert.Equal(("1000", "1", "1"), (run.Output.Get("count"), run.Output.Get("max"), run.Output.Get("malformed rows")));
        Assert.Equal(expected.Tasks(new FileInfo(file).Length, chunk), run.Tasks);
    }

    [Fact]
    public void An_unknown_column_is_rejected_listing_the_columns()
    {
        var file = _temp.Write("h.csv", "a,b,c\n1,2,3\n");
        var error = Assert.Throws<JobArgumentException>(() => new CsvStatsJobKind().Prepare([file, "--column", "x"]));
        Assert.Equal("--column", error.Argument);
        Assert.Equal("--column: no column named 'x'; columns are: a, b, c", error.Message);
    }

    [Theory]
    [InlineData(new[] { "--column", "a" }, "FILE")]
    [InlineData(new[] { "MISSING", "--column", "a" }, "FILE")]
    [InlineData(new[] { "DIR", "--column", "a" }, "FILE")]
    [InlineData(new[] { "EMPTY", "--column", "a" }, "FILE")]
    [InlineData(new[] { "BROKEN", "--column", "a" }, "FILE")]
    [InlineData(new[] { "GOOD" }, "--column")]
    [InlineData(new[] { "GOOD", "--column" }, "--column")]
    [InlineData(new[] { "GOOD", "--column", "a", "--no-header" }, "--column")]
    [InlineData(new[] { "GOOD", "--column", "-1", "--no-header" }, "--column")]
    [InlineData(new[] { "GOOD", "--column", "a", "--delimiter", ";;" }, "--delimiter")]
    [InlineData(new[] { "GOOD", "--column", "a", "--delimiter", "\"" }, "--delimiter")]
    [InlineData(new[] { "GOOD", "--column", "a", "--delimiter", "é" }, "--delimiter")]
    [InlineData(new[] { "GOOD", "--column", "a", "--sheet", "2" }, "--sheet")]
    public void Rejects_bad_arguments_naming_them(string[] arguments, string argument)
    {
        var places = new Dictionary<string, string>
        {
            ["MISSING"] = Path.Combine(_temp.Path, "missing.csv"),
            ["DIR"] = _temp.Path,
            ["EMPTY"] = _temp.Write("empty.csv", ""),
            ["BROKEN"] = _temp.Write("broken.csv", "a,\"b\n1,2\n"),
            ["GOOD"] = _temp.Write("good.csv", "a,b\n1,2\n"),
        };
        var resolved = arguments.Select(a => places.GetValueOrDefault(a, a)).ToArray();
        Assert.Equal(argument, Assert.Throws<JobArgumentException>(() => new CsvStatsJobKind().Prepare(resolved)).Argument);
    }
}

using System.Text.Json;
using ActorTasks.Messages;
using ActorTasks.Tasks.Jobs;
using Xunit;

namespace ActorTasks.Tasks.Tests.Jobs;

public sealed class ResultPagesTests
{
    private static JobFinished Finished(IReadOnlyList<string> lines) =>
        new("4", JobState.Completed, [new("lines", lines.Count.ToString())], lines, 1, 0, 1, [], null, TimeSpan.FromSeconds(1));

    /// <summary>What <paramref name="lines"/> take in a message: a JSON string each, with a comma between them.</summary>
    private static long JsonBytes(IEnumerable<string> lines) => JsonSerializer.SerializeToUtf8Bytes(lines.ToArray()).Length - 2;

    [Fact]
    public void A_result_that_fits_travels_whole_and_the_same()
    {
        var finished = Finished([.. Enumerable.Range(0, 1000).Select(i => $"line {i}")]);
        Assert.Same(finished, ResultPages.ForWire(finished));
    }

    [Fact]
    public void A_result_that_does_not_fit_travels_as_its_first_lines_within_the_budget_with_the_total()
    {
        // Every character of these lines is escaped in JSON: 6 bytes each, not 1.
        var lines = Enumerable.Range(0, 10_000).Select(i => new string('<', 100)).ToList();
        var wire = ResultPages.ForWire(Finished(lines));

        Assert.Equal(10_000, wire.LinesTotal);
        Assert.Equal(10_000, wire.LineCount);
        Assert.True(JsonBytes(wire.Lines) <= ResultPages.FinishedLineBytes);
        Assert.True(JsonBytes(wire.Lines.Append(lines[0])) > ResultPages.FinishedLineBytes, "the first lines fill the budget");
        Assert.Equal(("4", JobState.Completed), (wire.JobId, wire.State));
    }

    [Fact]
    public void Pages_start_where_asked_stop_at_the_line_or_byte_limit_and_always_hold_a_line_while_any_is_left()
    {
        var lines = Enumerable.Range(0, 30_000).Select(i => $"{i:D5} " + new string('x', 200)).ToList();
        var finished = Finished(lines);

        var page = ResultPages.Page(finished, 100, 50);
        Assert.Equal((100L, 30_000L), (page.From, page.Total));
        Assert.Equal(lines.Skip(100).Take(50), page.Lines);

        var byBytes = ResultPages.Page(finished, 0, int.MaxValue);
        Assert.True(JsonBytes(byBytes.Lines) <= ResultPages.PageBytes);
        Assert.InRange(byBytes.Lines.Count, 1000, 29_999);

        Assert.Single(ResultPages.Page(finished, 5, 0).Lines);
        Assert.Empty(ResultPages.Page(finished, 30_000, 10).Lines);
        Assert.Empty(ResultPages.Page(finished, long.MaxValue, 10).Lines);
        Assert.Equal(0, ResultPages.Page(finished, -7, 1).From);

        // A single line larger than a page still goes out, alone.
        var huge = Finished(["a", new string('y', 2 << 20), "b"]);
        Assert.Equal(["a"], ResultPages.Page(huge, 0, 10).Lines);
        Assert.Equal([new string('y', 2 << 20)], ResultPages.Page(huge, 1, 10).Lines);
    }

    [Fact]
    public void The_byte_estimate_is_never_below_what_System_Text_Json_writes()
    {
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0, 0x3000))]);
            Assert.True(ResultPages.JsonBytes(text) + 2 >= JsonSerializer.SerializeToUtf8Bytes(text).Length, $"estimate too low for {text}");
        }
    }
}

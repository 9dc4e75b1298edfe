using ActorTasks.Messages;
using ActorTasks.Node.Jobs;
using Xunit;

namespace ActorTasks.Node.Tests.Jobs;

/// <summary>The progress line of <c>watch</c> and <c>submit --wait</c>: it fits the terminal, and says percent and ETA once the total is known.</summary>
public sealed class ProgressLineTests
{
    private static readonly Dictionary<string, long> TwoNodes = new()
    {
        ["akka.tcp://tasks@127.0.0.1:43649"] = 1_235_722,
        ["akka.tcp://tasks@127.0.0.1:43650"] = 1_000_001,
    };

    private static JobProgress Hash(long? total, IReadOnlyDictionary<string, long>? counters = null) => new("12", 2_235_723, 17, total, 35_722.4,
        total is null ? null : TimeSpan.FromSeconds(21), TimeSpan.FromSeconds(63), TwoNodes, counters ?? new Dictionary<string, long>(), 4);

    [Theory]
    [InlineData(60)]
    [InlineData(80)]
    [InlineData(140)]
    public void With_a_known_total_the_line_fits_and_shows_percent_counts_failed_rate_eta_and_elapsed(int width)
    {
        var line = ProgressLine.Render(Hash(3_000_000, new Dictionary<string, long> { ["matches"] = 912_345 }), width);

        Assert.True(line.Length <= width, $"{line.Length} > {width}: {line}");
        Assert.Contains(" 74%", line);
        Assert.Contains("ETA 0:21", line);
        Assert.Contains("1:03", line);
        Assert.Contains("17 failed", line);
        Assert.Matches(@"2(,235,740|\.2M)/3(,000,000|M)", line);
        Assert.Matches(@"35(,722|\.7k)/s", line);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(80)]
    [InlineData(140)]
    public void Without_a_total_the_line_fits_and_has_no_percent_or_eta(int width)
    {
        var line = ProgressLine.Render(Hash(null), width);

        Assert.True(line.Length <= width, $"{line.Length} > {width}: {line}");
        Assert.DoesNotContain("%", line);
        Assert.DoesNotContain("ETA", line);
        Assert.Contains("done", line);
    }

    [Fact]
    public void A_wide_terminal_gets_the_bar_and_the_counters_and_a_narrow_one_keeps_the_numbers()
    {
        var progress = Hash(3_000_000, new Dictionary<string, long> { ["matches"] = 912_345 });
        var wide = ProgressLine.Render(progress, 140);
        Assert.Contains("█", wide);
        Assert.Contains("matches 912,345", wide);
        Assert.Contains("2,235,740/3,000,000", wide);

        var narrow = ProgressLine.Render(progress, 60);
        Assert.DoesNotContain("matches", narrow);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(80)]
    [InlineData(140)]
    public void Node_counts_go_under_the_line_with_short_names_or_go_when_there_is_no_room(int width)
    {
        var nodes = ProgressLine.Nodes(Hash(3_000_000), width);
        Assert.True(nodes.Length <= width, $"{nodes.Length} > {width}: {nodes}");
        Assert.Contains(":43649 1,235,722", nodes);
        Assert.DoesNotContain("akka.tcp", nodes);
        Assert.Equal("", ProgressLine.Nodes(Hash(3_000_000), 12));
        Assert.Equal("  :43649 1,235,722 · +1 more", ProgressLine.Nodes(Hash(3_000_000), 30));
    }

    [Fact]
    public void Nodes_on_different_hosts_keep_their_host()
    {
        var names = ProgressLine.ShortNames(["akka.tcp://tasks@10.0.0.2:4053", "akka.ssl.tcp://tasks@10.0.0.3:4053"]);
        Assert.Equal(["10.0.0.2:4053", "10.0.0.3:4053"], names.Values.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_line_for_a_pipe_has_everything_on_one_line()
    {
        var line = ProgressLine.Plain(Hash(3_000_000, new Dictionary<string, long> { ["matches"] = 5 }));
        Assert.DoesNotContain("\n", line);
        Assert.Contains("74%", line);
        Assert.Contains("matches 5", line);
        Assert.Contains(":43650 1,000,001", line);
    }

    [Fact]
    public void Even_a_tiny_width_is_never_passed()
    {
        Assert.True(ProgressLine.Render(Hash(3_000_000), 20).Length <= 20);
    }
}

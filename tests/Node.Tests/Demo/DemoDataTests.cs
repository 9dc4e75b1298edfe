using System.Text.RegularExpressions;
using ActorTasks.Node.Demo;
using Xunit;

namespace ActorTasks.Node.Tests.Demo;

public sealed class DemoDataTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("actortasks-demodata-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_csv_has_the_rows_asked_for_with_every_nth_latency_malformed_and_the_same_bytes_for_the_same_seed()
    {
        var first = DemoData.WriteCsv(Path.Combine(_folder, "a.csv"), rows: 1_000, seed: 5, malformedEvery: 300);
        var second = DemoData.WriteCsv(Path.Combine(_folder, "b.csv"), rows: 1_000, seed: 5, malformedEvery: 300);

        var lines = File.ReadAllLines(first.Path);
        Assert.Equal("id,region,latency_ms,bytes", lines[0]);
        Assert.Equal(1_001, lines.Length);
        Assert.Equal(3, first.MalformedRows);
        // lines[0] is the header, so lines[k] is row k.
        Assert.Equal([300, 600, 900], lines.Select((l, i) => (l, i)).Where(x => x.l.Contains(",n/a,")).Select(x => x.i));
        Assert.Equal(new FileInfo(first.Path).Length, first.Bytes);
        Assert.Equal(File.ReadAllBytes(first.Path), File.ReadAllBytes(second.Path));
        Assert.False(File.Exists(first.Path + ".partial"));
    }

    [Fact]
    public void A_csv_of_a_given_size_stops_at_the_first_row_past_it()
    {
        var csv = DemoData.WriteCsvOfSize(Path.Combine(_folder, "sized.csv"), bytes: 100_000, seed: 1);
        Assert.InRange(csv.Bytes, 100_000, 100_000 + 100);
        Assert.Equal(csv.Rows + 1, File.ReadAllLines(csv.Path).Length);
    }

    [Fact]
    public void The_log_tree_has_a_file_per_service_and_day_and_some_lines_match_the_demo_pattern()
    {
        var tree = DemoData.WriteLogTree(Path.Combine(_folder, "logs"), services: 3, days: 4, seed: 2);

        var files = Directory.GetFiles(tree.Root, "*.log", SearchOption.AllDirectories);
        Assert.Equal(12, tree.Files);
        Assert.Equal(12, files.Length);
        Assert.Equal(tree.Lines, files.Sum(f => File.ReadAllLines(f).Length));
        Assert.Equal(tree.Bytes, files.Sum(f => new FileInfo(f).Length));
        Assert.NotEmpty(SingleThreaded.Grep(tree.Root, new Regex(DemoData.GrepPattern)));
    }
}
